"""Pages for practitioner forums: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.core.concurrency import version_initial
from casereview.core.errors import ServiceError
from casereview.core.forms import apply_service, refuse
from casereview.lib.formats import long_date
from casereview.partnership.models import Agency
from casereview.reviews.selectors import reviews_visible_to
from casereview.typology.selectors import themes_to_choose

from ..models import Forum
from ..permissions import can_lead_learning, can_use_library
from ..plans import plan_open
from ..view_helpers import form_page, posted
from . import selectors, services
from .forms import AttendanceForm, ForumForm, OutputForm, SessionForm


def _agencies(user):
    return Agency.objects.filter(board_id=user.board_id, active=True)


@allowed_if(can_use_library)
def forum_list(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/forum_list.html", {
        "forums": selectors.forums_for(request.user), "can_lead": can_lead_learning(request.user)})


@allowed_if(can_lead_learning)
def forum_edit(request: HttpRequest, forum_id: int | None = None) -> HttpResponse:
    user = request.user
    forum = selectors.forum_get_for_user(user, forum_id) if forum_id else None
    form = ForumForm(posted(request), forum=forum, reviews=reviews_visible_to(user),
                     themes=themes_to_choose(user, keep=forum.themes.all() if forum else ()))
    if request.method == "POST" and form.is_valid():
        ok, saved = apply_service(form, services.forum_save, by=user, forum=forum or Forum(board=user.board),
                                  **form.cleaned_data)
        if ok:
            messages.success(request, f"Forum \u201c{saved.title}\u201d saved")
            return redirect("learning:forum_detail", forum_id=saved.pk)
    back = reverse("learning:forum_detail", args=[forum.pk]) if forum else reverse("learning:forum_list")
    return form_page(request, form=form, title="Edit the forum" if forum else "Plan a practitioner forum",
                     back_url=back, back_text=forum.title if forum else "Practitioner forums",
                     button="Save the forum")


@allowed_if(can_use_library)
def forum_detail(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get_for_user(request.user, forum_id)
    return render(request, "learning/forum_detail.html", selectors.forum_page(request.user, forum))


def _forum_form(request, forum, form, service, *, arguments, title, button, done):
    if request.method == "POST" and form.is_valid():
        ok, _ = apply_service(form, service, by=request.user, **arguments(form))
        if ok:
            messages.success(request, done)
            return redirect("learning:forum_detail", forum_id=forum.pk)
    return form_page(request, form=form, title=title, caption=forum.title, button=button,
                     back_url=reverse("learning:forum_detail", args=[forum.pk]), back_text=forum.title)


@allowed_if(can_lead_learning)
def forum_session_add(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get_for_user(request.user, forum_id)
    return _forum_form(request, forum, SessionForm(posted(request)), services.forum_session_add,
                       arguments=lambda form: {"forum": forum, **form.cleaned_data},
                       title="Add a session", button="Add the session", done="Session added")


@allowed_if(can_lead_learning)
def forum_attendance(request: HttpRequest, forum_id: int, session_id: int) -> HttpResponse:
    session = selectors.forum_session_get_for_user(request.user, forum_id, session_id)
    current = {a.agency_id: a.attendees for a in session.attendance.all()}
    form = AttendanceForm(posted(request), agencies=_agencies(request.user), current=current,
                          initial=version_initial(session))
    return _forum_form(request, session.forum, form, services.forum_attendance_save,
                       arguments=lambda form: {"session": session, "counts": form.counts(),
                                               "version": form.cleaned_data["version"]},
                       title=f"Attendance on {long_date(session.held_on)}", button="Save attendance",
                       done="Attendance saved")


@allowed_if(can_lead_learning)
def forum_output_add(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get_for_user(request.user, forum_id)
    return _forum_form(request, forum, OutputForm(posted(request)), services.forum_output_add,
                       arguments=lambda form: {"forum": forum, **form.cleaned_data},
                       title="Record an output", button="Record", done="Output recorded: it is in the library")


@allowed_if(can_lead_learning)
@require_POST
def forum_close(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get_for_user(request.user, forum_id)
    try:
        services.forum_close(by=request.user, forum=forum)
    except ServiceError as error:
        refuse(request, error)
    else:
        messages.success(request, "Forum closed")
    return redirect("learning:forum_detail", forum_id=forum.pk)


@allowed_if(can_lead_learning)
@require_POST
def forum_plan(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get_for_user(request.user, forum_id)
    try:
        plan, created = plan_open(
            by=request.user, board=request.user.board, source_type="forum", source_id=forum.pk,
            label=f"Forum: {forum.title}", items=selectors.forum_learning(forum),
            nothing_yet="Record the forum's learning first: each piece of learning becomes a line of the plan")
    except ServiceError as error:
        refuse(request, error)
        return redirect("learning:forum_detail", forum_id=forum.pk)
    if created:
        messages.success(request, "Action plan opened: add desired outcomes and actions, then submit it for "
                                  "approval")
    return redirect("actions:plan_detail", plan_id=plan.pk)
