"""List the suggested duplicate pairs of a review's merged chronology, or record a decision on one.

Output, one suggested pair per line: EVENT_REF_A<TAB>EVENT_REF_B<TAB>SCORE<TAB>REASON (pairs already decided
are not listed). `--confirm REF_A REF_B --by USERNAME` or `--dismiss REF_A REF_B --by USERNAME` records the
decision as that person, with the page's permission check and audit. Exit status 2 for an unknown review,
reference or user (or a person who may not decide)."""

import sys

from django.core.management.base import BaseCommand

from casereview.chronology import analysis, services
from casereview.chronology.models import ChronologyEntry, DuplicateDecision
from casereview.chronology.permissions import can_decide_duplicates
from casereview.partnership.models import User

from ._common import find_review


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--review", required=True, help="The review reference, e.g. DEMO-1")
        parser.add_argument("--board", help="The board's slug, when two boards use the same review reference")
        decision = parser.add_mutually_exclusive_group()
        decision.add_argument("--confirm", nargs=2, metavar=("REF_A", "REF_B"),
                              help="Record that the two entries are the same event")
        decision.add_argument("--dismiss", nargs=2, metavar=("REF_A", "REF_B"),
                              help="Record that the two entries are different events (never suggested again)")
        parser.add_argument("--by", help="The username of the person deciding (needed with --confirm/--dismiss)")

    def _fail(self, message: str):
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args, **options):
        from django.core.management.base import CommandError

        try:
            review = find_review(options["review"], options["board"])
        except CommandError as error:
            self._fail(str(error))
        pair = options["confirm"] or options["dismiss"]
        if pair is None:
            analysis.ensure_analysis(review)
            for suggestion in analysis.suggested_duplicates(review, limit=100_000):
                a, b = suggestion.pair
                self.stdout.write(f"{a.ref}\t{b.ref}\t{suggestion.score}\t{suggestion.reason}")
            return
        if not options["by"]:
            self._fail("Say who is deciding with --by USERNAME")
        user = User.objects.filter(username=options["by"], is_active=True).first()
        if user is None:
            self._fail(f"There is no active user called {options['by']}")
        if user.board_id != review.board_id or not can_decide_duplicates(user):
            self._fail(f"{user.username} is not in the review group of {review.reference}, so cannot decide "
                       "duplicates")
        entries = [self._entry(review, ref) for ref in pair]
        decision = DuplicateDecision.Decision.CONFIRMED if options["confirm"] else DuplicateDecision.Decision.DISMISSED
        try:
            services.duplicate_decide(by=user, review=review, entry_a=entries[0], entry_b=entries[1],
                                      decision=decision)
        except services.ChronologyError as error:
            self._fail(str(error))
        self.stdout.write(f"{pair[0]} and {pair[1]} marked as {decision.label.lower()} by {user.username}")

    def _entry(self, review, ref: str) -> ChronologyEntry:
        found = list(ChronologyEntry.objects.filter(review=review, current_returned=True, event_ref__iexact=ref)
                     .select_related("agency")[:5])
        if not found:
            self._fail(f"There is no entry with the event reference {ref} in the merged chronology of "
                       f"{review.reference}")
        if len(found) > 1:
            agencies = ", ".join(sorted(e.agency.name for e in found))
            self._fail(f"More than one agency uses the event reference {ref} ({agencies}): it cannot be told apart")
        return found[0]
