from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from casereview.cases.selectors import cases_visible_to
from casereview.lib import clocks

from ..models import CaseGroupMember, Extension, Pause, Review

COMPLETION_CLOCKS = ("scr-completion", "practice-review-publication")


def reviews_visible_to(user) -> QuerySet[Review]:
    """A review is visible exactly when its case is (need to know is decided once, in cases)."""
    return Review.objects.filter(case__in=cases_visible_to(user)).select_related("case", "board")


def review_get_for_user(user, review_id: int) -> Review:
    review = reviews_visible_to(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No review found")
    return review


def board_clock(board, slugs: tuple[str, ...]) -> clocks.Clock:
    """The first of `slugs` the board's rule pack has; the seed's pack answers when the board's has none."""
    for pack_slug in (board.rule_pack, clocks.DEFAULT_PACK):
        try:
            pack = clocks.get_pack(pack_slug)
        except clocks.UnknownPack:
            continue
        for slug in slugs:
            try:
                return pack.clock(slug)
            except clocks.UnknownClock:
                continue
    raise clocks.UnknownClock(board.rule_pack, slugs[0], [])


@dataclass(frozen=True)
class Timescale:
    clock: clocks.Clock
    base_due: date
    target: date
    status: clocks.ClockStatus
    open_pause: Pause | None
    paused_days: int
    pending_extension: Extension | None

    @property
    def extended(self) -> bool:
        return self.target != self.base_due


def review_timescale(review: Review, today: date) -> Timescale:
    """Where the review stands against its six-month target. A pause keeps the clock running and visible:
    only an approved extension moves the target."""
    clock = board_clock(review.board, COMPLETION_CLOCKS)
    base_due = clocks.due_date(clock, review.initiated_on)
    extensions = list(review.extensions.all())
    approved = [e for e in extensions if e.decision == Extension.Decision.APPROVED]
    target = approved[-1].new_target_on if approved else base_due
    pending = next((e for e in extensions if e.decision == Extension.Decision.PENDING), None)
    pauses = list(review.pauses.all())
    open_pause = next((p for p in pauses if p.ended_on is None), None)
    paused_days = sum(((p.ended_on or today) - p.started_on).days for p in pauses)
    status = clocks.clock_status(target, today, met_on=review.approved_on)
    return Timescale(clock, base_due, target, status, open_pause, paused_days, pending)



def case_group_membership(user, review_id: int) -> CaseGroupMember:
    """The signed-in person's own Case Group place on a review, or 404."""
    if not getattr(user, "is_authenticated", False) or not user.board_id:
        raise Http404("No review found")
    member = (CaseGroupMember.objects.filter(user=user, review_id=review_id, review__board_id=user.board_id)
              .exclude(status=CaseGroupMember.Status.DECLINED).select_related("review").first())
    if member is None:
        raise Http404("No review found")
    return member


def consultations_for(user) -> QuerySet[CaseGroupMember]:
    if not getattr(user, "is_authenticated", False) or not user.board_id:
        return CaseGroupMember.objects.none()
    return (CaseGroupMember.objects.filter(user=user, review__board_id=user.board_id,
                                           review__consultation_opened_on__isnull=False,
                                           review__consultation_closed_on__isnull=True)
            .exclude(status=CaseGroupMember.Status.DECLINED).select_related("review"))



# Report and publication selectors live in their own modules; re-exported so `selectors.X` keeps working.
from .publication import (  # noqa: E402, F401
    court_restrictions_in_force,
    online_until,
    prepublication_clock,
    prepublication_due,
    publication_impact,
    published_reviews,
)
from .report import (  # noqa: E402, F401
    CheckResult,
    case_known_identifiers,
    check_result,
    latest_version,
    public_pdf_check,
    stored_hits,
    version_check,
)
