from datetime import timedelta

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from casereview.audit.services import audit_access
from casereview.core.access import allowed_if
from casereview.core.concurrency import version_initial
from casereview.core.forms import apply_service, refuse
from casereview.core.permissions import is_board_member
from casereview.lib.dates import today as board_today

from . import documents, selectors, services
from .agenda import proposals_for
from .forms import (
    AgendaItemForm,
    AttendanceForm,
    CancelForm,
    DecisionForm,
    MeetingActionForm,
    MinutesForm,
    ScheduleForm,
)
from .models import Meeting
from .permissions import can_run_meetings, can_schedule_any


def _runnable(user):
    return [c.pk for c in selectors.committees_visible_to(user) if can_run_meetings(user, c)]


@allowed_if(is_board_member)
def meeting_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    meetings = selectors.meetings_visible_to(request.user)
    committees = []
    for committee in selectors.committees_visible_to(request.user):
        can_run = can_run_meetings(request.user, committee)
        committees.append({"committee": committee, "next": services.next_meeting_start(committee),
                           "can_run": can_run,
                           # Whoever runs the committee is told when its membership can never be quorate.
                           "quorum_problems": selectors.committee_quorum_problems(committee) if can_run else []})
    return render(request, "committees/meeting_list.html", {
        "upcoming": meetings.filter(starts_at__gte=now - timedelta(hours=12)).exclude(
            state=Meeting.State.HELD),
        "past": meetings.filter(state=Meeting.State.HELD).order_by("-starts_at")[:20],
        "committees": committees, "can_schedule": can_schedule_any(request.user),
    })


@allowed_if(can_schedule_any)
def meeting_schedule(request: HttpRequest) -> HttpResponse:
    committees = selectors.committees_visible_to(request.user).filter(pk__in=_runnable(request.user))
    initial = {"count": 1, "duration_minutes": 120}
    asked = request.GET.get("committee", "")
    chosen = committees.filter(pk=int(asked)).first() if asked.isdigit() else None
    if asked and chosen is None:
        messages.error(request, "That committee was not found among the committees you run: choose one from the "
                                "list")
    if chosen:
        initial["committee"] = chosen.pk
        suggested = services.next_meeting_start(chosen)
        if suggested and suggested > timezone.now():
            local = timezone.localtime(suggested)
            initial.update(first_date=local.date(), start_time=f"{local:%H:%M}")
    form = ScheduleForm(request.POST or None, committees=committees, initial=initial)
    if request.method == "POST":
        ok, meetings = apply_service(form, lambda: services.meetings_schedule(
            by=request.user, committee=form.cleaned_data["committee"],
            first_starts_at=form.cleaned_data["first_starts_at"], count=form.cleaned_data["count"],
            location=form.cleaned_data["location"], duration_minutes=form.cleaned_data["duration_minutes"]))
        if ok:
            messages.success(request, f"{len(meetings)} meeting{'s' if len(meetings) != 1 else ''} of the "
                                      f"{form.cleaned_data['committee']} scheduled")
            return redirect("committees:meeting_detail", meeting_id=meetings[0].pk)
    return render(request, "committees/schedule.html", {"form": form, "chosen": chosen})


@allowed_if(is_board_member)
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, meeting_id)
    audit_access(by=request.user, action="meeting.viewed", obj=meeting)
    can_run = can_run_meetings(request.user, meeting.committee)
    held = meeting.state == Meeting.State.HELD
    scheduled = meeting.state == Meeting.State.SCHEDULED
    previous = services.minutes_waiting_for_approval(meeting) if can_run and held else None
    return render(request, "committees/meeting_detail.html", {
        "meeting": meeting, "can_run": can_run, "held": held,
        "can_cancel": can_run and scheduled, "can_change_agenda": can_run and scheduled,
        "minutes_to_approve": previous,
        "minutes_approved": meeting.minutes_state == Meeting.MinutesState.APPROVED,
        "can_write_minutes": can_run and held and meeting.minutes_state != Meeting.MinutesState.APPROVED,
        "agenda": meeting.agenda_items.all(),
        "proposals": proposals_for(meeting) if can_run and scheduled else [],
        "members": selectors.members_of(meeting.committee),
        "attendance": meeting.attendance.select_related("user", "represents").order_by("represents__name"),
        "quorum": selectors.meeting_quorum(meeting) if held else None,
        "decisions": meeting.decisions.select_related("agenda_item", "recorded_by", "approves_plan",
                                                      "recommends_on_referral"),
        "actions": meeting.actions.select_related("owner", "agenda_item"),
        "today": board_today(),
        "can_record": can_run and meeting.state != Meeting.State.CANCELLED
        and timezone.localtime(meeting.starts_at).date() <= board_today(),
    })


def _meeting_to_run(request, meeting_id):
    return selectors.meeting_to_run_get_for_user(request.user, meeting_id)


@allowed_if(is_board_member)
@require_POST
def agenda_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_to_run(request, meeting_id)
    try:
        items = services.agenda_add_proposals(by=request.user, meeting=meeting, keys=request.POST.getlist("item"))
    except services.MeetingError as error:
        refuse(request, error)
    else:
        messages.success(request, f"{len(items)} item{'s' if len(items) != 1 else ''} added to the agenda")
    return redirect("committees:meeting_detail", meeting_id=meeting.pk)


@allowed_if(is_board_member)
def agenda_item_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_to_run(request, meeting_id)
    form = AgendaItemForm(request.POST or None)
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.agenda_add_item(by=request.user, meeting=meeting,
                                                                     **form.cleaned_data))
        if ok:
            messages.success(request, "Item added to the agenda")
            return redirect("committees:meeting_detail", meeting_id=meeting.pk)
    return render(request, "committees/form.html", {"meeting": meeting, "form": form,
                                                    "heading": "Add an agenda item", "button": "Add item"})


def _item(meeting, item_id):
    item = meeting.agenda_items.filter(pk=item_id).first()
    if item is None:
        raise Http404("No agenda item found")
    return item


@allowed_if(is_board_member)
@require_POST
def agenda_item_remove(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = _meeting_to_run(request, meeting_id)
    item = _item(meeting, item_id)
    try:
        services.agenda_remove_item(by=request.user, item=item)
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{item.title}” removed from the agenda")
    return redirect("committees:meeting_detail", meeting_id=meeting.pk)


@allowed_if(is_board_member)
@require_POST
def agenda_item_move(request: HttpRequest, meeting_id: int, item_id: int) -> HttpResponse:
    meeting = _meeting_to_run(request, meeting_id)
    try:
        services.agenda_move_item(by=request.user, item=_item(meeting, item_id),
                                  up=request.POST.get("direction") == "up")
    except services.MeetingError as error:
        refuse(request, error)
    return redirect("committees:meeting_detail", meeting_id=meeting.pk)


@allowed_if(is_board_member)
@require_POST
def minutes_approve(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """This meeting approves the draft minutes of the committee's last meeting; members are emailed them."""
    meeting = _meeting_to_run(request, meeting_id)
    previous = services.minutes_waiting_for_approval(meeting)
    if previous is None:
        raise Http404("No minutes waiting for approval")
    try:
        services.minutes_approve(by=request.user, meeting=previous, at_meeting=meeting)
    except services.MeetingError as error:
        refuse(request, error)
    else:
        messages.success(request, "Minutes of the last meeting approved and emailed to the committee's members")
    return redirect("committees:meeting_detail", meeting_id=meeting.pk)


@allowed_if(is_board_member)
def attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_to_run(request, meeting_id)
    current = dict(meeting.attendance.values_list("user_id", "status"))
    form = AttendanceForm(request.POST or None, members=selectors.members_of(meeting.committee), current=current,
                          initial=version_initial(meeting, field="attendance_version"))
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.attendance_record(
            by=request.user, meeting=meeting, statuses=form.statuses(), version=form.cleaned_data["version"]))
        if ok:
            quorum = selectors.meeting_quorum(meeting)
            (messages.success if quorum.quorate else messages.warning)(request, f"Attendance saved. {quorum.text}")
            return redirect("committees:meeting_detail", meeting_id=meeting.pk)
    return render(request, "committees/attendance.html", {"meeting": meeting, "form": form})


@allowed_if(is_board_member)
def decision_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_to_run(request, meeting_id)
    if meeting.state != Meeting.State.HELD:
        refuse(request, services.MeetingError("Record who attended before recording decisions"))
        return redirect("committees:meeting_detail", meeting_id=meeting.pk)
    quorum = selectors.meeting_quorum(meeting)
    form = DecisionForm(request.POST or None, meeting=meeting, quorate=quorum.quorate,
                        plans_to_approve=selectors.plans_to_approve_at(meeting),
                        referrals_to_recommend=selectors.referrals_to_recommend_at(meeting))
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.decision_record(
            by=request.user, meeting=meeting, text=form.cleaned_data["text"],
            agenda_item=form.cleaned_data["agenda_item"], approves_plan=form.cleaned_data.get("approves_plan"),
            recommends_on_referral=form.cleaned_data.get("recommends_on_referral"),
            acknowledge_inquorate=form.cleaned_data.get("acknowledge_inquorate", False)))
        if ok:
            if quorum.quorate:
                messages.success(request, "Decision recorded")
            else:
                messages.warning(request, "Decision recorded and flagged as made while the meeting was not quorate")
            return redirect("committees:meeting_detail", meeting_id=meeting.pk)
    return render(request, "committees/decision_form.html", {"meeting": meeting, "form": form, "quorum": quorum})


@allowed_if(is_board_member)
def action_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_to_run(request, meeting_id)
    form = MeetingActionForm(request.POST or None, meeting=meeting)
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.meeting_action_add(by=request.user, meeting=meeting,
                                                                        **form.cleaned_data))
        if ok:
            messages.success(request, "Action recorded")
            return redirect("committees:meeting_detail", meeting_id=meeting.pk)
    return render(request, "committees/form.html", {"meeting": meeting, "form": form,
                                                    "heading": "Record an action from the meeting",
                                                    "button": "Record action"})


@allowed_if(is_board_member)
@require_POST
def action_done(request: HttpRequest, meeting_id: int, action_id: int) -> HttpResponse:
    meeting = _meeting_to_run(request, meeting_id)
    action = meeting.actions.filter(pk=action_id, done_on__isnull=True).first()
    if action is None:
        raise Http404("No open action found")
    try:
        services.meeting_action_done(by=request.user, action=action)
    except services.MeetingError as error:
        refuse(request, error)
    else:
        messages.success(request, "Action marked as done")
    return redirect("committees:meeting_detail", meeting_id=meeting.pk)


@allowed_if(is_board_member)
def minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_to_run(request, meeting_id)
    form = MinutesForm(request.POST or None, initial={"minutes": meeting.minutes,
                                                      **version_initial(meeting, field="minutes_version")})
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.minutes_save(
            by=request.user, meeting=meeting, minutes=form.cleaned_data["minutes"],
            version=form.cleaned_data["version"]))
        if ok:
            messages.success(request, "Minutes saved as a draft, to be approved at the next meeting")
            return redirect("committees:meeting_detail", meeting_id=meeting.pk)
    return render(request, "committees/form.html", {"meeting": meeting, "form": form, "heading": "Minutes",
                                                    "button": "Save minutes"})


@allowed_if(is_board_member)
def cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_to_run(request, meeting_id)
    if meeting.state != Meeting.State.SCHEDULED:
        refuse(request, services.MeetingError("Only a scheduled meeting can be cancelled"))
        return redirect("committees:meeting_detail", meeting_id=meeting.pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.meeting_cancel(by=request.user, meeting=meeting,
                                                                    reason=form.cleaned_data["reason"]))
        if ok:
            messages.success(request, "Meeting cancelled. Send members the updated invitation.")
            return redirect("committees:meeting_detail", meeting_id=meeting.pk)
    return render(request, "committees/form.html", {"meeting": meeting, "form": form,
                                                    "heading": "Cancel the meeting", "button": "Cancel meeting"})


@allowed_if(is_board_member)
def invite(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, meeting_id)
    body = documents.invitation(meeting)
    services.meeting_document_downloaded(by=request.user, meeting=meeting, document="invitation")
    response = HttpResponse(body.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@allowed_if(is_board_member)
def pack(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for_user(request.user, meeting_id)
    body = documents.agenda_pack(meeting, request.user)
    services.meeting_document_downloaded(by=request.user, meeting=meeting, document="agenda pack")
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    local = timezone.localtime(meeting.starts_at)
    response["Content-Disposition"] = f'attachment; filename="agenda-pack-{local:%Y-%m-%d}-{meeting.pk}.docx"'
    response["Cache-Control"] = "private, no-store"
    return response
