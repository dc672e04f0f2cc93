from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from casereview.cases.selectors import cases_visible_to
from casereview.lib import clocks
from casereview.lib.dates import today as board_today
from casereview.lib.formats import short_date

from .. import hooks
from ..models import CaseGroupMember, Extension, Milestone, Pause, Review, ReviewMember
from ..permissions import can_approve_for_board, can_manage_reviews, can_quality_assure

# Each type of review's completion clock, by the names rule packs give it (the first the board's pack has wins,
# then the framework's own pack). An SCR aims at six months; the other types have their own timescale in the
# rule pack or, where it fixes none, the one the SCR Committee sets in the terms of reference.
COMPLETION_CLOCKS = {
    Review.Type.SCR_INTENSIVE: ("scr-completion", "practice-review-publication"),
    Review.Type.SCR_TARGETED: ("scr-completion", "practice-review-publication"),
    Review.Type.CIR: ("cir-completion",),
    Review.Type.LEARNING_REVIEW: ("learning-review-completion",),
    Review.Type.INDIVIDUAL_AGENCY: ("individual-agency-completion",),
}
CLOSED_STATES = (Review.Status.PUBLISHED, Review.Status.NOT_PUBLISHED)


def reviews_visible_to(user) -> QuerySet[Review]:
    """A review is visible exactly when its case is (need to know is decided once, in cases)."""
    return Review.objects.filter(case__in=cases_visible_to(user)).select_related("case", "board")


def review_get_for_user(user, review_id: int) -> Review:
    review = reviews_visible_to(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No review found")
    return review


def reviews_written_by(user) -> QuerySet[Review]:
    """The reviews whose findings, recommendations and report this person writes: every visible review for the
    Business Manager, the reviews they lead for a lead reviewer."""
    visible = reviews_visible_to(user)
    if can_manage_reviews(user):
        return visible
    return visible.filter(members__user=user, members__role=ReviewMember.Role.LEAD_REVIEWER,
                          members__removed_at__isnull=True).distinct()


def review_get_for_writer(user, review_id: int) -> Review:
    """A review this person writes, or 404 (a review they do not lead is out of their scope for writing)."""
    review = reviews_written_by(user).filter(pk=review_id).first()
    if review is None:
        raise Http404("No review found")
    return review


def review_get_for_report(user, review_id: int, *, committee: bool = True, chair: bool = True) -> Review:
    """A review whose report this person works on, or 404: the SCR Committee (quality assurance) and the
    Independent Chair (board approval) reach every review they can see, as `committee` and `chair` allow; the
    Business Manager and the lead reviewers the reviews they write."""
    if (committee and can_quality_assure(user)) or (chair and can_approve_for_board(user)):
        return review_get_for_user(user, review_id)
    return review_get_for_writer(user, review_id)


def review_lead_reviewers(review: Review) -> QuerySet[ReviewMember]:
    """The review's appointed lead reviewers (for the Panel notice and the learning summary: never free text)."""
    return review.members.filter(role=ReviewMember.Role.LEAD_REVIEWER, removed_at__isnull=True) \
        .select_related("user", "user__agency").order_by("added_at", "id")


def completion_clock(review: Review) -> clocks.Clock | None:
    """The rule pack's completion clock for this type of review, or None where no pack fixes one."""
    try:
        return clocks.resolve_clock(review.board.rule_pack, *COMPLETION_CLOCKS[review.type])
    except clocks.UnknownClock:
        return None


@dataclass(frozen=True)
class Timescale:
    clock: clocks.Clock | None
    base_due: date | None
    target: date | None
    status: clocks.ClockStatus | None
    open_pause: Pause | None
    paused_days: int
    pending_extension: Extension | None

    @property
    def extended(self) -> bool:
        return self.target != self.base_due

    @property
    def days_late(self) -> int:
        return -self.status.days_left if self.status and self.status.days_left < 0 else 0


def review_target(review: Review) -> date | None:
    """The date the review aims to finish by, before any extension: the rule pack's clock, or the target the
    SCR Committee set where the pack fixes none."""
    clock = completion_clock(review)
    if clock is not None:
        return clocks.due_date(clock, review.initiated_on)
    return review.target_on


def review_timescale(review: Review, today: date) -> Timescale:
    """Where the review stands against its target. A pause keeps the clock running and visible: only an approved
    extension moves the target. A closed review is never overdue: it is met (on time or late) on the day the
    board approved it, or the day it closed."""
    clock = completion_clock(review)
    base_due = review_target(review)
    extensions = list(review.extensions.all())
    approved = [e for e in extensions if e.decision == Extension.Decision.APPROVED]
    target = approved[-1].new_target_on if approved else base_due
    pending = next((e for e in extensions if e.decision == Extension.Decision.PENDING), None)
    pauses = list(review.pauses.all())
    open_pause = next((p for p in pauses if p.ended_on is None), None)
    paused_days = sum(((p.ended_on or today) - p.started_on).days for p in pauses)
    met_on = review.approved_on
    if met_on is None and review.status in CLOSED_STATES:
        met_on = review.published_on or today
    status = clocks.clock_status(target, today, met_on=met_on) if target else None
    return Timescale(clock, base_due, target, status, open_pause, paused_days, pending)


@dataclass(frozen=True)
class StageRow:
    """A stage as the stages table shows it: its status in words and the colour of its tag."""

    milestone: Milestone
    status: str
    colour: str  # the GOV.UK tag modifier: green, red or grey


def stage_rows(review: Review, today: date) -> list[StageRow]:
    """The review's stages with their status today. A stage past its due date is overdue while the review is
    open; once the review is published or closed nothing of it is overdue: a stage never marked done says so."""
    closed = review.status in CLOSED_STATES
    rows = []
    for stage in review.milestones.select_related("owner"):
        if stage.completed_on:
            rows.append(StageRow(stage, f"Done {short_date(stage.completed_on)}", "green"))
        elif closed:
            rows.append(StageRow(stage, "Not marked done", "grey"))
        elif stage.due_on and stage.due_on < today:
            rows.append(StageRow(stage, "Overdue", "red"))
        else:
            rows.append(StageRow(stage, "To do", "grey"))
    return rows


@dataclass(frozen=True)
class ReturnStatus:
    """An agency request's return as the requests page shows it (the same attributes as a clock's status)."""

    label: str
    tag_class: str


def agency_request_rows(review: Review, today: date) -> list[tuple]:
    """The review's requests to agencies with where each return stands today. Once the review is published or
    closed nothing of it is overdue: a request never returned says so."""
    closed = review.status in CLOSED_STATES
    rows = []
    for request in review.agency_requests.select_related("agency"):
        if closed and request.returned_on is None:
            rows.append((request, ReturnStatus("Not returned", "govuk-tag govuk-tag--grey")))
        else:
            rows.append((request, clocks.clock_status(request.due_on, today, met_on=request.returned_on)))
    return rows


@dataclass(frozen=True)
class ReviewActions:
    """What a person may do on a review's pages right now: the pages offer exactly these."""

    start_analysis: bool
    request_extension: bool
    decide_extension: bool
    pause: bool
    resume: bool
    record_interim: bool
    edit_family: bool
    # What other parts of the service need before the review can close (published or not), in words.
    before_closing: list[str]


def review_actions(user, review: Review, timescale: Timescale | None = None) -> ReviewActions:
    from ..permissions import can_decide_extension, can_write_findings

    timescale = timescale or review_timescale(review, board_today())
    manage = can_manage_reviews(user)
    open_ = review.status not in CLOSED_STATES
    return ReviewActions(
        start_analysis=manage and review.status == Review.Status.INITIATED,
        request_extension=manage and open_ and timescale.target is not None and not timescale.pending_extension,
        decide_extension=can_decide_extension(user) and timescale.pending_extension is not None,
        pause=manage and open_ and timescale.open_pause is None,
        resume=manage and timescale.open_pause is not None,
        record_interim=can_write_findings(user, review) and open_,
        edit_family=can_write_findings(user, review),
        before_closing=hooks.close_blockers(review) if review.status == Review.Status.APPROVED else [],
    )


def case_group_membership(user, review_id: int) -> CaseGroupMember:
    """The signed-in person's own Case Group place on a review, or 404."""
    if not getattr(user, "is_authenticated", False) or not user.board_id:
        raise Http404("No review found")
    member = (CaseGroupMember.objects.filter(user=user, review_id=review_id, review__board_id=user.board_id)
              .exclude(status=CaseGroupMember.Status.DECLINED).select_related("review").first())
    if member is None:
        raise Http404("No review found")
    return member


def consultation_member_for_link(secret: str) -> CaseGroupMember:
    """The Case Group member (without an account) a consultation link belongs to, while the link works: the
    consultation is open and the link has not expired. Anything else is a 404 that reveals nothing."""
    import hashlib

    member = (CaseGroupMember.objects.filter(user__isnull=True, link_hash=hashlib.sha256(secret.encode()).hexdigest(),
                                             link_expires_on__gte=board_today(),
                                             review__consultation_opened_on__isnull=False,
                                             review__consultation_closed_on__isnull=True)
              .exclude(link_hash="").exclude(status=CaseGroupMember.Status.DECLINED)
              .select_related("review", "review__board", "agency").first())
    if member is None:
        raise Http404("This link has expired or the consultation has closed")
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
    PublicationActions,
    court_restrictions_in_force,
    online_until,
    prepublication_clock,
    prepublication_due,
    public_list_rows,
    publication_actions,
    publication_impact,
    published_reviews,
    statement_prefill,
)
from .report import (  # noqa: E402, F401
    CheckResult,
    ReportActions,
    case_known_identifiers,
    check_result,
    latest_version,
    public_pdf_check,
    report_actions,
    stored_hits,
    version_check,
)
