"""Writes for committee meetings: keyword-only, `by=` first, one transaction, one audit event."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from casereview.actions.models import ActionPlan
from casereview.actions.services import ApprovingDecision, plan_approve
from casereview.audit.services import audit_access, audit_record
from casereview.core.concurrency import claim_version
from casereview.core.errors import ServiceError
from casereview.core.links import absolute_url
from casereview.lib import dates
from casereview.lib.formats import long_date
from casereview.notifications.services import email_queue
from casereview.partnership.models import Committee, CommitteeMembership, User
from casereview.referrals.models import Referral

from .agenda import Proposal, proposals_for
from .models import AgendaItem, Attendance, Decision, Meeting, MeetingAction
from .selectors import meeting_quorum, members_of

MAX_MEETINGS_AT_ONCE = 12


class MeetingError(ServiceError):
    """A refused change; the message is shown to the person who asked for it."""


class InquorateDecision(MeetingError):
    """The meeting is not quorate: the decision may only be recorded once that is acknowledged."""


def _locked(meeting: Meeting) -> Meeting:
    """Lock the meeting's row for the rest of the transaction; refuse when someone changed its state meanwhile."""
    current = Meeting.objects.select_for_update(of=("self",)).filter(pk=meeting.pk).values_list(
        "state", "minutes_state").first()
    if current != (meeting.state, meeting.minutes_state):
        raise MeetingError("Someone else changed this meeting while you were looking at it: go back, reload the "
                           "page and try again")
    return meeting


def next_meeting_start(committee: Committee, after: datetime | None = None) -> datetime | None:
    """The next meeting from the committee's own frequency (the Performance Committee: every 42 days)."""
    last = committee.meetings.exclude(state=Meeting.State.CANCELLED).order_by("-starts_at").first()
    if last is None or not committee.meeting_frequency_days:
        return None
    return last.starts_at + timedelta(days=committee.meeting_frequency_days)


def meetings_schedule(*, by, committee: Committee, first_starts_at: datetime, count: int, location: str,
                      duration_minutes: int, allow_past: bool = False) -> list[Meeting]:
    """Schedule `count` meetings, the first at first_starts_at and then every meeting_frequency_days.

    `allow_past` is for recording meetings already held (the demo's history); people schedule ahead."""
    if not allow_past and first_starts_at < timezone.now():
        raise MeetingError("The first meeting must be in the future", field="first_date")
    if count < 1 or count > MAX_MEETINGS_AT_ONCE:
        raise MeetingError(f"Schedule between 1 and {MAX_MEETINGS_AT_ONCE} meetings at a time", field="count")
    if count > 1 and not committee.meeting_frequency_days:
        raise MeetingError(f"The {committee.name} has no meeting frequency set, so schedule one meeting at a time "
                           "(or set its frequency on the Board pages)", field="count")
    if not location.strip():
        raise MeetingError("Enter where the meeting takes place", field="location")
    with transaction.atomic():
        meetings = []
        for n in range(count):
            starts = first_starts_at + timedelta(days=(committee.meeting_frequency_days or 0) * n)
            meetings.append(Meeting.objects.create(
                board_id=committee.board_id, committee=committee, starts_at=starts, location=location,
                duration_minutes=duration_minutes, created_by=by))
        audit_record(by=by, action="meeting.scheduled", obj=committee, label=committee.name,
                     detail={"meetings": count, "first": first_starts_at.isoformat()})
    return meetings


def meeting_cancel(*, by, meeting: Meeting, reason: str) -> Meeting:
    if not reason.strip():
        raise MeetingError("Enter why the meeting is cancelled", field="reason")
    with transaction.atomic():
        _locked(meeting)
        if meeting.state != Meeting.State.SCHEDULED:
            raise MeetingError("Only a scheduled meeting can be cancelled")
        meeting.cancel(reason)
        meeting.save()
        audit_record(by=by, action="meeting.cancelled", obj=meeting)
    return meeting


def attendance_record(*, by, meeting: Meeting, statuses: dict[int, str], version: int | None = None) -> Meeting:
    """statuses maps each member's user id to present / apologies / absent; `version` is the attendance record's
    version when the form was opened (a stale one is refused)."""
    if timezone.localtime(meeting.starts_at).date() > dates.today():
        raise MeetingError("Attendance can be recorded from the day of the meeting")
    members = {m.user_id: m for m in members_of(meeting.committee)}
    with transaction.atomic():
        claim_version(meeting, version, "attendance record", field="attendance_version")
        _locked(meeting)
        if meeting.state == Meeting.State.CANCELLED:
            raise MeetingError("This meeting was cancelled")
        for user_id, status in statuses.items():
            membership = members.get(user_id)
            if membership is None:
                raise MeetingError("Attendance can only be recorded for members of the committee")
            Attendance.objects.update_or_create(
                meeting=meeting, user_id=user_id,
                defaults={"status": status, "position": membership.position, "represents": membership.represents})
        meeting.mark_held()
        # Only what this edit changed: minutes saved meanwhile by someone else are not written back from this copy.
        meeting.save(update_fields=["state", "attendance_version"])
        quorum = meeting_quorum(meeting)
        audit_record(by=by, action="meeting.attendance_recorded", obj=meeting,
                     detail={"present": sum(1 for s in statuses.values() if s == "present"),
                             "quorate": quorum.quorate})
    return meeting


def _next_order(meeting: Meeting) -> int:
    return (meeting.agenda_items.aggregate(n=Max("order"))["n"] or 0) + 1


def agenda_add_proposals(*, by, meeting: Meeting, keys: list[str]) -> list[AgendaItem]:
    """Add the chosen proposals (by Proposal.key) to the agenda, in the order proposed."""
    with transaction.atomic():
        _locked(meeting)
        if meeting.state != Meeting.State.SCHEDULED:
            raise MeetingError("The agenda can only change before the meeting is held")
        chosen: list[Proposal] = [p for p in proposals_for(meeting) if p.key in set(keys)]
        if not chosen:
            raise MeetingError("Select at least one item to add to the agenda")
        items = []
        order = _next_order(meeting)
        for proposal in chosen:
            items.append(AgendaItem.objects.create(
                meeting=meeting, order=order, kind=proposal.kind, title=proposal.title[:250],
                paper=proposal.paper, source_type=proposal.source_type, source_id=proposal.source_id,
                link=proposal.url, added_by=by))
            order += 1
        audit_record(by=by, action="meeting.agenda_items_added", obj=meeting,
                     detail={"items": [p.key for p in chosen]})
    return items


def agenda_add_item(*, by, meeting: Meeting, title: str, paper: str = "", presenter: str = "") -> AgendaItem:
    if not title.strip():
        raise MeetingError("Enter the agenda item", field="title")
    with transaction.atomic():
        _locked(meeting)
        if meeting.state != Meeting.State.SCHEDULED:
            raise MeetingError("The agenda can only change before the meeting is held")
        item = AgendaItem.objects.create(meeting=meeting, order=_next_order(meeting), kind=AgendaItem.Kind.OTHER,
                                         title=title, paper=paper, presenter=presenter, added_by=by)
        audit_record(by=by, action="meeting.agenda_item_added", obj=meeting)
    return item


def agenda_remove_item(*, by, item: AgendaItem) -> None:
    meeting = item.meeting
    with transaction.atomic():
        _locked(meeting)
        if meeting.state != Meeting.State.SCHEDULED:
            raise MeetingError("The agenda can only change before the meeting is held")
        audit_record(by=by, action="meeting.agenda_item_removed", obj=meeting, detail={"title": item.title[:80]})
        item.delete()
        for order, remaining in enumerate(meeting.agenda_items.order_by("order", "id"), start=1):
            if remaining.order != order:
                remaining.order = order
                remaining.save(update_fields=["order"])


def agenda_move_item(*, by, item: AgendaItem, up: bool) -> None:
    with transaction.atomic():
        _locked(item.meeting)
        if item.meeting.state != Meeting.State.SCHEDULED:
            raise MeetingError("The agenda can only change before the meeting is held")
        items = list(item.meeting.agenda_items.order_by("order", "id"))
        index = items.index(item)
        other = index - 1 if up else index + 1
        if not 0 <= other < len(items):
            return
        items[index], items[other] = items[other], items[index]
        for order, each in enumerate(items, start=1):
            if each.order != order:
                each.order = order
                each.save(update_fields=["order"])
        audit_record(by=by, action="meeting.agenda_reordered", obj=item.meeting)


def decision_record(*, by, meeting: Meeting, text: str, agenda_item: AgendaItem | None = None,
                    acknowledge_inquorate: bool = False, approves_plan: ActionPlan | None = None,
                    recommends_on_referral: Referral | None = None) -> Decision:
    """Record a decision. In an inquorate meeting it is refused unless the warning was acknowledged, and then
    it is kept flagged as made while inquorate.

    `approves_plan`: the SCR Committee approves an action plan by this decision. That needs a quorate meeting
    (no acknowledgement makes it otherwise), and the plan records the decision that approved it.
    `recommends_on_referral`: the decision is the SCR Committee's recommendation to the Independent Chair on a
    referral; it too needs a quorate meeting."""
    if approves_plan is not None and meeting.committee.kind != Committee.Kind.SCR:
        raise MeetingError("Action plans are approved by the SCR Committee", field="approves_plan")
    if approves_plan is not None and approves_plan.board_id != meeting.board_id:
        raise MeetingError("Choose one of the board's action plans", field="approves_plan")
    if recommends_on_referral is not None and meeting.committee.kind != Committee.Kind.SCR:
        raise MeetingError("Recommendations on referrals are the SCR Committee's", field="recommends_on_referral")
    if recommends_on_referral is not None and recommends_on_referral.board_id != meeting.board_id:
        raise MeetingError("Choose one of the board's referrals", field="recommends_on_referral")
    if not text.strip():
        raise MeetingError("Enter the decision", field="text")
    with transaction.atomic():
        _locked(meeting)
        if meeting.state != Meeting.State.HELD:
            raise MeetingError("Record who attended before recording decisions")
        quorum = meeting_quorum(meeting)
        if not quorum.quorate and not acknowledge_inquorate:
            raise InquorateDecision(f"The meeting is not quorate ({quorum.text}). Confirm that you want to record "
                                    "the decision as made while inquorate, or record attendance again.",
                                    field="acknowledge_inquorate")
        if recommends_on_referral is not None and not quorum.quorate:
            raise MeetingError("A recommendation on a referral is made by a quorate meeting of the SCR Committee: "
                               "this meeting is not quorate", field="recommends_on_referral")
        decision = Decision.objects.create(meeting=meeting, agenda_item=agenda_item, text=text,
                                           approves_plan=approves_plan,
                                           recommends_on_referral=recommends_on_referral, quorate=quorum.quorate,
                                           quorum_note=quorum.text[:300], recorded_by=by)
        if approves_plan is not None:
            plan_approve(by=by, plan=approves_plan, decision=ApprovingDecision(
                id=decision.pk, label=f"{meeting.committee.name}, meeting of {long_date(meeting.starts_at)}",
                quorate=quorum.quorate, at=meeting.ends_at))
        audit_record(by=by, action="meeting.decision_recorded", obj=meeting,
                     detail={"decision": decision.pk, "quorate": quorum.quorate,
                             "approves_plan": approves_plan.pk if approves_plan else None,
                             "referral": recommends_on_referral.pk if recommends_on_referral else None})
    return decision


def meeting_action_add(*, by, meeting: Meeting, description: str, owner: User, due_date: date,
                       agenda_item: AgendaItem | None = None) -> MeetingAction:
    if owner.board_id != meeting.board_id:
        raise MeetingError("Choose a member of the board as owner", field="owner")
    if not description.strip():
        raise MeetingError("Enter the action", field="description")
    with transaction.atomic():
        _locked(meeting)
        if meeting.state != Meeting.State.HELD:
            raise MeetingError("Record who attended before recording actions from the meeting")
        action = MeetingAction.objects.create(meeting=meeting, agenda_item=agenda_item, description=description,
                                              owner=owner, due_date=due_date, recorded_by=by)
        audit_record(by=by, action="meeting.action_added", obj=meeting)
    return action


def meeting_action_done(*, by, action: MeetingAction) -> MeetingAction:
    with transaction.atomic():
        if MeetingAction.objects.select_for_update(of=("self",)).filter(pk=action.pk, done_on__isnull=False).exists():
            raise MeetingError("This action is already marked as done")
        action.done_on = dates.today()
        action.save(update_fields=["done_on"])
        audit_record(by=by, action="meeting.action_done", obj=action.meeting)
    return action


def minutes_save(*, by, meeting: Meeting, minutes: str, version: int | None = None) -> Meeting:
    """Draft (or redraft) the minutes. They are approved at the committee's next meeting, then circulated.
    `version` is the minutes' version when the form was opened (a stale one is refused)."""
    if not minutes.strip():
        raise MeetingError("Enter the minutes", field="minutes")
    with transaction.atomic():
        # Claimed before the state check: a second person's first draft is an edit conflict, not a state change.
        claim_version(meeting, version, "draft of the minutes", field="minutes_version")
        _locked(meeting)
        if meeting.state != Meeting.State.HELD:
            raise MeetingError("Record who attended before writing the minutes")
        if meeting.minutes_state == Meeting.MinutesState.APPROVED:
            raise MeetingError("These minutes were approved at a later meeting and circulated, so they cannot "
                               "change")
        first_draft = meeting.minutes_state == Meeting.MinutesState.NONE
        meeting.draft_minutes(text=minutes, by=by, at=timezone.now())
        meeting.save(update_fields=["minutes", "minutes_state", "minutes_recorded_by", "minutes_recorded_at",
                                    "minutes_version"])
        audit_record(by=by, action="meeting.minutes_saved", obj=meeting)
        if first_draft:
            _tell_chairs_minutes_drafted(meeting=meeting, by=by)
    return meeting


def _tell_chairs_minutes_drafted(*, meeting: Meeting, by) -> None:
    """The committee's chair puts the draft minutes to the next meeting for approval: tell them they are ready."""
    url = absolute_url("committees:meeting_detail", meeting.pk)
    for membership in members_of(meeting.committee).filter(position=CommitteeMembership.Position.CHAIR):
        chair = membership.user
        if chair.pk == by.pk or not chair.email:
            continue
        email_queue(to=chair.email, board_id=meeting.board_id, about=meeting,
                    subject=f"Draft minutes to approve: {meeting.committee.name}, {long_date(meeting.starts_at)}",
                    body="\n".join([f"Dear {chair.get_short_name() or chair.username},", "",
                                     f"The draft minutes of the {meeting.committee.name} meeting of "
                                     f"{long_date(meeting.starts_at)} are ready. They are proposed for approval at "
                                     "the committee's next meeting; read them here:", "", url]))


def minutes_waiting_for_approval(meeting: Meeting) -> Meeting | None:
    """The committee's earlier meeting whose draft minutes this meeting approves: the latest held one before it."""
    return (Meeting.objects.filter(committee_id=meeting.committee_id, state=Meeting.State.HELD,
                                   minutes_state=Meeting.MinutesState.DRAFT, starts_at__lt=meeting.starts_at)
            .order_by("-starts_at").first())


def minutes_approve(*, by, meeting: Meeting, at_meeting: Meeting) -> Meeting:
    """The next meeting approves the draft minutes of the last one (a quorate decision, recorded with the
    meeting), and the approved minutes go to every member by email."""
    if at_meeting.committee_id != meeting.committee_id or at_meeting.starts_at <= meeting.starts_at:
        raise MeetingError("Minutes are approved at a later meeting of the same committee")
    with transaction.atomic():
        _locked(at_meeting)
        _locked(meeting)
        if at_meeting.state != Meeting.State.HELD:
            raise MeetingError("Record who attended this meeting before approving the minutes of the last one")
        if meeting.minutes_state != Meeting.MinutesState.DRAFT:
            raise MeetingError("There are no draft minutes of that meeting to approve")
        quorum = meeting_quorum(at_meeting)
        if not quorum.quorate:
            raise MeetingError(f"Minutes can only be approved by a quorate meeting ({quorum.text})")
        decision = Decision.objects.create(
            meeting=at_meeting, text=f"The minutes of the meeting of {long_date(meeting.starts_at)} were approved "
                                     "as a true record.",
            quorate=True, quorum_note=quorum.text[:300], recorded_by=by)
        meeting.approve_minutes(at_meeting=at_meeting, circulated_at=timezone.now())
        meeting.save()
        url = absolute_url("committees:meeting_detail", meeting.pk)
        recipients = [m.user for m in members_of(meeting.committee) if m.user.email]
        for person in recipients:
            email_queue(to=person.email, board_id=meeting.board_id, about=meeting,
                        subject=f"Approved minutes: {meeting.committee.name}, {long_date(meeting.starts_at)}",
                        body="\n".join([f"Dear {person.get_short_name() or person.username},", "",
                                         f"The minutes of the {meeting.committee.name} meeting of "
                                         f"{long_date(meeting.starts_at)} were approved at the meeting of "
                                         f"{long_date(at_meeting.starts_at)}.", "",
                                         # A link, not the text: minutes discuss cases and stay in CaseReview.
                                         f"Read them, with the meeting's decisions and actions: {url}"]))
        audit_record(by=by, action="meeting.minutes_approved", obj=meeting,
                     detail={"approved_at_meeting": at_meeting.pk, "decision": decision.pk,
                             "circulated_to": len(recipients)})
    return meeting


def meeting_document_downloaded(*, by, meeting: Meeting, document: str) -> None:
    audit_access(by=by, action="meeting.document_downloaded", obj=meeting, detail={"document": document})
