"""The agenda builder: what is waiting for a meeting, proposed by sources that any app can register.

A source is a callable taking a Meeting and returning an iterable of `Proposal`s. Register it once, in your
app's AppConfig.ready():

    from casereview.committees.agenda import Proposal, register_source

    def learning_summaries_waiting(meeting):
        if meeting.committee.kind not in ("performance", "learning_development"):
            return []
        return [Proposal(kind="learning_summary", source_type="learning.summary", source_id=str(s.pk),
                         title=f"Learning summary: {s.review.reference}", paper=s.key_findings,
                         url=reverse("learning:summary_detail", args=[s.pk]), ready_on=s.approved_on)
                for s in LearningSummary.objects.filter(board=meeting.board, state="approved")]

    register_source(learning_summaries_waiting)

The builder drops anything already on an agenda of the same committee (same source_type and source_id), and
anything whose `ready_on` date is after the meeting. An item with a `ready_on` date belongs on the next meeting
after it is ready: it is proposed until the committee holds a meeting on or after that date. For a committee's
first meeting in CaseReview, only what became ready within one meeting interval before it is proposed, so
records completed long ago (before the board used CaseReview) do not crowd the agenda.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

# Days between meetings assumed for a committee with no frequency set (the Performance Committee's six weeks).
DEFAULT_INTERVAL_DAYS = 42
KINDS = ("review", "learning_summary", "exception_report", "referral", "plan_approval", "plan_impact", "other")


@dataclass(frozen=True)
class Proposal:
    kind: str  # one of KINDS (AgendaItem.Kind)
    source_type: str  # e.g. "reviews.review"
    source_id: str  # the record's id, as text
    title: str
    paper: str = ""  # text for the agenda pack; never a child's name
    url: str = ""  # where members can read more in CaseReview
    ready_on: date | None = None  # proposed for meetings on or after this date
    # True for items that belong on every meeting (the exception report): matched per meeting, not per committee.
    recurring: bool = False

    @property
    def key(self) -> str:
        return f"{self.source_type}:{self.source_id}"


_SOURCES: list[Callable] = []


def register_source(source: Callable[[object], Iterable[Proposal]]) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def registered_sources() -> list[Callable]:
    return list(_SOURCES)


def proposals_for(meeting) -> list[Proposal]:
    from .models import AgendaItem, Meeting

    on_this = set(meeting.agenda_items.values_list("source_type", "source_id"))
    on_committee = set(AgendaItem.objects.filter(meeting__committee=meeting.committee)
                       .exclude(meeting__state=Meeting.State.CANCELLED).exclude(source_id="")
                       .values_list("source_type", "source_id"))
    meeting_day = timezone.localtime(meeting.starts_at).date()
    held_days = sorted(timezone.localtime(start).date() for start in meeting.committee.meetings.filter(
        state=Meeting.State.HELD, starts_at__lt=meeting.starts_at).exclude(pk=meeting.pk)
        .values_list("starts_at", flat=True))
    first_here = not meeting.committee.meetings.exclude(state=Meeting.State.CANCELLED).filter(
        starts_at__lt=meeting.starts_at).exists()
    first_meeting_since = meeting_day - timedelta(
        days=meeting.committee.meeting_frequency_days or DEFAULT_INTERVAL_DAYS)
    proposals, seen = [], set()
    for source in _SOURCES:
        for proposal in source(meeting) or []:
            pair = (proposal.source_type, proposal.source_id)
            if pair in seen or pair in on_this or (not proposal.recurring and pair in on_committee):
                continue
            if proposal.ready_on and proposal.ready_on > meeting_day:
                continue
            if proposal.ready_on and any(proposal.ready_on <= day for day in held_days):
                continue  # the next meeting after it was ready has already been held
            if proposal.ready_on and first_here and proposal.ready_on < first_meeting_since:
                continue  # ready long before the committee's first meeting here
            seen.add(pair)
            proposals.append(proposal)
    return proposals
