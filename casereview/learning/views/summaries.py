"""Learning summaries (Appendix E): drafted from the review, edited, approved, downloaded, presented, shared."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.core.concurrency import version_initial
from casereview.core.errors import ServiceError
from casereview.core.forms import apply_service, refuse
from casereview.partnership.models import Committee
from casereview.reviews.selectors import review_get_for_user
from casereview.typology.selectors import themes_to_choose

from .. import documents, hooks, selectors, services
from ..forms import DisseminationForm, EvaluationForm, PresentationForm, SummaryForm
from ..permissions import can_approve_summaries, can_lead_learning, can_use_library, can_write_summaries
from ..view_helpers import DOCX, PDF, download, form_page, posted


@allowed_if(can_use_library)
def summary_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "learning/summary_list.html", {
        "summaries": selectors.summaries_visible_to(user),
        "awaiting": selectors.reviews_awaiting_summary(user) if can_write_summaries(user) else [],
        "can_write": can_write_summaries(user)})


@allowed_if(can_write_summaries)
@require_POST
def summary_draft(request: HttpRequest, review_id: int) -> HttpResponse:
    review = review_get_for_user(request.user, review_id)
    try:
        summary = services.summary_draft(by=request.user, review=review)
    except ServiceError as error:
        refuse(request, error)
        return redirect("learning:summary_list")
    messages.success(request, f"Learning summary drafted from {review.reference}: check and complete it")
    return redirect("learning:summary_edit", summary_id=summary.pk)


@allowed_if(can_use_library)
def summary_detail(request: HttpRequest, summary_id: int) -> HttpResponse:
    user = request.user
    summary = selectors.summary_get_for_user(user, summary_id)
    return render(request, "learning/summary_detail.html", {
        "summary": summary, "problems": services.summary_check(summary),
        "show_problems": can_write_summaries(user) or can_approve_summaries(user),
        "actions": selectors.summary_actions(user, summary), "themes": summary.themes.all(),
        "presentations": summary.presentations.select_related("committee"),
        "minuted": selectors.minuted_meetings_to_record(summary) if summary.is_approved else [],
        "disseminations": summary.disseminations.all()})


@allowed_if(can_write_summaries)
def summary_edit(request: HttpRequest, summary_id: int) -> HttpResponse:
    summary = selectors.summary_get_for_user(request.user, summary_id)
    if "edit" not in selectors.summary_actions(request.user, summary):
        messages.error(request, "This summary is approved: reopen it to make changes")
        return redirect("learning:summary_detail", summary_id=summary.pk)
    form = SummaryForm(posted(request), instance=summary, initial=version_initial(summary),
                       themes=themes_to_choose(request.user, keep=summary.themes.all()))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("themes", "version")}
        ok, _ = apply_service(form, services.summary_update, by=request.user, summary=summary,
                              version=form.cleaned_data["version"], themes=form.cleaned_data["themes"], **fields)
        if ok:
            messages.success(request, "Learning summary saved")
            return redirect("learning:summary_detail", summary_id=summary.pk)
    return form_page(request, form=form, title="Edit the learning summary", caption=summary.review.reference,
                     back_url=reverse("learning:summary_detail", args=[summary.pk]), back_text=summary.title,
                     button="Save the summary",
                     intro="Drafted from the review's record. Write so it can be shared without redaction: no "
                           "names, dates of birth or addresses. The lead reviewers are those appointed to the "
                           "review.")


def _transition(request, summary_id, service, done):
    summary = selectors.summary_get_for_user(request.user, summary_id)
    try:
        service(by=request.user, summary=summary)
    except ServiceError as error:
        refuse(request, error)
    else:
        messages.success(request, done)
    return redirect("learning:summary_detail", summary_id=summary.pk)


@allowed_if(can_approve_summaries)
@require_POST
def summary_approve(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _transition(request, summary_id, services.summary_approve,
                       "Learning summary approved: it is now in the library and ready to present")


@allowed_if(can_approve_summaries)
@require_POST
def summary_reopen(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _transition(request, summary_id, services.summary_reopen, "Learning summary reopened for changes")


EXPORTS = {
    "word": (documents.summary_document, documents.to_word, "docx", DOCX),
    "pdf": (documents.summary_document, documents.to_pdf, "pdf", PDF),
    "briefing": (documents.briefing_document, documents.to_pdf, "pdf", PDF),
}


def _summary_export(request, summary_id, what):
    summary = selectors.summary_get_for_user(request.user, summary_id)
    try:
        services.summary_exported(by=request.user, summary=summary, what=what)
    except ServiceError as error:
        refuse(request, error)
        return redirect("learning:summary_detail", summary_id=summary.pk)
    compose, render_as, extension, content_type = EXPORTS[what]
    name = f"learning-summary-{summary.review.reference}".replace(" ", "-")
    suffix = "-briefing" if what == "briefing" else ""
    return download(render_as(compose(summary)), f"{name}{suffix}.{extension}", content_type)


@allowed_if(can_use_library)
def summary_word(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _summary_export(request, summary_id, "word")


@allowed_if(can_use_library)
def summary_pdf(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _summary_export(request, summary_id, "pdf")


@allowed_if(can_use_library)
def summary_briefing(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _summary_export(request, summary_id, "briefing")


def _approved_summary_form(request, summary_id, form, service, *, action, title, button, done):
    summary = selectors.summary_get_for_user(request.user, summary_id)
    if action not in selectors.summary_actions(request.user, summary):
        messages.error(request, "Approve the summary first")
        return redirect("learning:summary_detail", summary_id=summary.pk)
    if request.method == "POST" and form.is_valid():
        ok, _ = apply_service(form, service, by=request.user, summary=summary, **form.cleaned_data)
        if ok:
            messages.success(request, done)
            return redirect("learning:summary_detail", summary_id=summary.pk)
    return form_page(request, form=form, title=title, caption=summary.title, button=button,
                     back_url=reverse("learning:summary_detail", args=[summary.pk]), back_text=summary.title)


@allowed_if(can_lead_learning)
def summary_disseminate(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _approved_summary_form(request, summary_id, DisseminationForm(posted(request)),
                                  services.summary_record_dissemination, action="disseminate",
                                  title="Record how the learning was shared", button="Record",
                                  done="Dissemination recorded")


@allowed_if(can_lead_learning)
def summary_present(request: HttpRequest, summary_id: int) -> HttpResponse:
    form = PresentationForm(posted(request), committees=Committee.objects.filter(board_id=request.user.board_id))
    return _approved_summary_form(request, summary_id, form, services.summary_record_presentation,
                                  action="present", title="Record presentation to a committee", button="Record",
                                  done="Presentation recorded")


@allowed_if(can_lead_learning)
def summary_evaluate(request: HttpRequest, summary_id: int) -> HttpResponse:
    summary = selectors.summary_get_for_user(request.user, summary_id)
    form = EvaluationForm(posted(request), initial={"evaluation": summary.evaluation, **version_initial(summary)})
    return _approved_summary_form(request, summary_id, form,
                                  services.summary_record_evaluation, action="evaluate",
                                  title="Record the evaluation of use", button="Save", done="Evaluation saved")


@allowed_if(can_lead_learning)
@require_POST
def summary_presented_from_minutes(request: HttpRequest, summary_id: int, meeting_id: int) -> HttpResponse:
    summary = selectors.summary_get_for_user(request.user, summary_id)
    meeting = next((m for m in selectors.minuted_meetings_to_record(summary) if m.pk == meeting_id), None)
    if meeting is None:
        raise Http404("That meeting did not minute this summary")
    try:
        hooks.presentations_from_minutes(by=request.user, meeting=meeting)
    except ServiceError as error:
        refuse(request, error)
    else:
        messages.success(request, f"Recorded as presented to the {meeting.committee.name}")
    return redirect("learning:summary_detail", summary_id=summary.pk)
