"""Publication dates: the Panel's copy, how long a report stays online, the public list, and what the
public page offers."""

from datetime import date

from django.db.models import QuerySet

from casereview.lib import clocks

from ..models import ParallelProcess, PublicationImpact, Review


def prepublication_clock(review: Review) -> clocks.Clock:
    return clocks.resolve_clock(review.board.rule_pack, "prepublication-copy")


def prepublication_due(review: Review, publication_on: date) -> date:
    return clocks.due_date(prepublication_clock(review), publication_on,
                           review.board.closure_days.values_list("date", flat=True))


def publication_impact(review: Review) -> PublicationImpact | None:
    return PublicationImpact.objects.filter(review=review).first()


def online_until(review: Review) -> date | None:
    """The last day the report is on the public page: at least the rule pack's period (12 months under the
    framework), or longer when the board has chosen to keep it."""
    if review.published_on is None:
        return None
    clock = clocks.resolve_clock(review.board.rule_pack, "publication-online")
    until = clocks.due_date(clock, review.published_on)
    impact = publication_impact(review)
    if impact is not None and impact.keep_online_until and impact.keep_online_until > until:
        return impact.keep_online_until
    return until


# A court's reporting restriction is recorded as a parallel process; the kind is looked up by name so that
# publication keeps working whichever way the Review Group's list of kinds spells it.
COURT_RESTRICTION_KINDS = tuple(
    kind for kind in ParallelProcess.Kind if kind.name in ("COURT_RESTRICTION", "REPORTING_RESTRICTION")
)


def court_restrictions_in_force(review: Review) -> list[ParallelProcess]:
    return list(review.parallel_processes.filter(kind__in=COURT_RESTRICTION_KINDS)
                .exclude(status=ParallelProcess.Status.CONCLUDED))


def published_reviews(board) -> QuerySet[Review]:
    return (Review.objects.filter(board=board, status=Review.Status.PUBLISHED, published_version__isnull=False)
            .select_related("published_version", "board", "published_report").order_by("-published_on", "-id"))
