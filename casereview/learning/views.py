from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from casereview.audit.services import audit_access
from casereview.core.access import allowed_if
from casereview.partnership.models import Agency, Committee
from casereview.reviews.selectors import review_get_for_user, reviews_visible_to

from . import documents, regional, report, selectors, services
from .forms import (
    AnswerForm,
    AnswersForm,
    AttendanceForm,
    AuditFindingForm,
    AuditForm,
    AuditQuestionForm,
    AuditToolForm,
    DisseminationForm,
    EvaluationForm,
    ForumForm,
    LibrarySearchForm,
    OutputForm,
    PresentationForm,
    ReauditForm,
    RegionalImportForm,
    ReportYearForm,
    SampleForm,
    SessionForm,
    SummaryForm,
    ThemeAddForm,
    ThemeMergeForm,
    ThemeRenameForm,
)
from .grading import SCALES
from .models import Audit, AuditAnswer, Forum, LearningSummary, RegionalSummary, ThemeChange
from .permissions import (
    can_answer_audit_for,
    can_answer_sustain_questions,
    can_approve_summaries,
    can_lead_learning,
    can_use_library,
    can_write_summaries,
)

Refusal = (services.LearningError, regional.FormatError)


def _form_page(request, *, form, title, back_url, back_text, button, caption="", intro="", forms=None,
               enctype=False):
    return render(request, "learning/form.html", {
        "form": form, "forms": forms, "title": title, "caption": caption, "back_url": back_url,
        "back_text": back_text, "button": button, "intro": intro, "enctype": enctype})


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _data(request):
    """The posted data, even when empty (an empty form posted must show its errors, not a blank form)."""
    return request.POST if request.method == "POST" else None


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _agencies(user):
    return Agency.objects.filter(board_id=user.board_id, active=True)


# --- Library -----------------------------------------------------------------------------------------------

@allowed_if(can_use_library)
def library(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = LibrarySearchForm(request.GET or None, themes=selectors.themes_for(user).filter(merged_into__isnull=True),
                             agencies=Agency.objects.filter(board_id=user.board_id),
                             years=selectors.library_years(user))
    page_number = request.GET.get("page", "1")
    page_number = int(page_number) if page_number.isdigit() and 0 < int(page_number) < 10000 else 1
    result = None
    searched = bool(request.GET)
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.LibraryFilters(q=data["q"] or "", theme=data["theme"], agency=data["agency"],
                                           review_type=data["review_type"], year=data["year"], kind=data["kind"])
        result = selectors.library_search(user, filters, page=page_number)
    elif not searched:
        result = selectors.library_search(user, selectors.LibraryFilters(), page=page_number)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "learning/library.html", {
        "form": form, "result": result, "searched": searched, "query": query.urlencode(),
        "can_lead": can_lead_learning(user)})


# --- Learning summaries ------------------------------------------------------------------------------------

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
    except services.LearningError as error:
        messages.error(request, str(error))
        return redirect("learning:summary_list")
    messages.success(request, f"Learning summary drafted from {review.reference}: check and complete it")
    return redirect("learning:summary_edit", summary_id=summary.pk)


def _summary_context(request, summary):
    user = request.user
    problems = services.summary_check(summary)
    return {
        "summary": summary, "problems": problems,
        "show_problems": can_write_summaries(user) or can_approve_summaries(user),
        "can_write": can_write_summaries(user) and not summary.is_approved,
        "can_approve": can_approve_summaries(user), "can_lead": can_lead_learning(user),
        "themes": summary.themes.all(), "presentations": summary.presentations.select_related("committee"),
        "disseminations": summary.disseminations.all(),
    }


@allowed_if(can_use_library)
def summary_detail(request: HttpRequest, summary_id: int) -> HttpResponse:
    summary = selectors.summary_get_for(request.user, summary_id)
    return render(request, "learning/summary_detail.html", _summary_context(request, summary))


@allowed_if(can_write_summaries)
def summary_edit(request: HttpRequest, summary_id: int) -> HttpResponse:
    summary = selectors.summary_get_for(request.user, summary_id)
    if summary.is_approved:
        messages.error(request, "This summary is approved: reopen it to make changes")
        return redirect("learning:summary_detail", summary_id=summary.pk)
    form = SummaryForm(_data(request), instance=summary, themes=selectors.themes_in_use_for(request.user))
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "themes"}
        fresh = LearningSummary.objects.get(pk=summary.pk)
        services.summary_update(by=request.user, summary=fresh, data=data, themes=form.cleaned_data["themes"])
        messages.success(request, "Learning summary saved")
        return redirect("learning:summary_detail", summary_id=summary.pk)
    return _form_page(request, form=form, title="Edit the learning summary", caption=summary.review.reference,
                      back_url=reverse("learning:summary_detail", args=[summary.pk]), back_text=summary.title,
                      button="Save the summary",
                      intro="Drafted from the review's record. Write so it can be shared without redaction: no "
                            "names, dates of birth or addresses.")


def _transition(request, summary_id, service, done):
    summary = selectors.summary_get_for(request.user, summary_id)
    try:
        service(by=request.user, summary=summary)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("learning:summary_detail", summary_id=summary.pk)


@allowed_if(can_approve_summaries)
@require_POST
def summary_approve(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _transition(request, summary_id, services.summary_approve, "Learning summary approved: it is now in "
                                                                      "the library and ready to present")


@allowed_if(can_approve_summaries)
@require_POST
def summary_reopen(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _transition(request, summary_id, services.summary_reopen, "Learning summary reopened for changes")


def _summary_doc(summary, *, briefing=False) -> documents.Doc:
    if briefing:
        doc = documents.Doc(f"Seven-minute briefing: {summary.title}", subtitle=summary.review_type, compact=True)
        if not summary.is_approved:
            doc.marking += " · DRAFT, NOT YET APPROVED"
        doc.add("What happened", summary.case_summary[:900])
        doc.add("Why it was reviewed", summary.why_reviewed[:500])
        doc.add("Key learning", bullets=[line.strip() for line in summary.key_findings.splitlines()
                                         if line.strip()][:6])
        if summary.good_practice:
            doc.add("Good practice", bullets=[line.strip() for line in summary.good_practice.splitlines()
                                              if line.strip()][:3])
        doc.add("Questions for reflection", bullets=summary.question_list()[:6])
        doc.add("Learning themes", ", ".join(str(t) for t in summary.themes.all()))
        return doc
    dates = ", ".join(f"{label} {value:%-d %B %Y}" for label, value in (
        ("commissioned", summary.commissioned_on), ("completed", summary.completed_on),
        ("published", summary.published_on)) if value)
    doc = documents.Doc(f"Learning summary: {summary.title}",
                        subtitle=f"{summary.review_type}" + (f" · {summary.methodology}" if summary.methodology else ""))
    if not summary.is_approved:
        doc.marking += " · DRAFT, NOT YET APPROVED"
    doc.add("About the review", "\n".join(filter(None, [dates[:1].upper() + dates[1:],
                                                         f"Lead reviewers: {summary.lead_reviewers}"
                                                         if summary.lead_reviewers else ""])))
    doc.add("Case summary", summary.case_summary)
    doc.add("Why the case was reviewed", summary.why_reviewed)
    doc.add("Key findings", summary.key_findings)
    doc.add("Good practice", summary.good_practice or "None recorded.")
    doc.add("Learning themes", bullets=[str(t) for t in summary.themes.all()])
    doc.add("Recommendations", summary.recommendations or "None.")
    doc.add("Questions for reflection", bullets=summary.question_list())
    doc.add("Audiences", bullets=summary.audience_list())
    rows = [[d.get_channel_display(), d.audience, f"{d.date:%-d %b %Y}"] for d in summary.disseminations.all()]
    doc.add("Dissemination", "" if rows else "Not yet shared.", headers=["Channel", "Audience", "Date"], rows=rows)
    if summary.evaluation:
        doc.add("Evaluation of use", summary.evaluation)
    return doc


def _summary_export(request, summary_id, what):
    summary = selectors.summary_get_for(request.user, summary_id)
    try:
        services.summary_exported(by=request.user, summary=summary, what=what)
    except services.LearningError as error:
        messages.error(request, str(error))
        return redirect("learning:summary_detail", summary_id=summary.pk)
    name = f"learning-summary-{summary.review.reference}".replace(" ", "-")
    if what == "word":
        return _download(documents.to_word(_summary_doc(summary)), f"{name}.docx", DOCX)
    if what == "briefing":
        return _download(documents.to_pdf(_summary_doc(summary, briefing=True)), f"{name}-briefing.pdf",
                         "application/pdf")
    return _download(documents.to_pdf(_summary_doc(summary)), f"{name}.pdf", "application/pdf")


@allowed_if(can_use_library)
def summary_word(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _summary_export(request, summary_id, "word")


@allowed_if(can_use_library)
def summary_pdf(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _summary_export(request, summary_id, "pdf")


@allowed_if(can_use_library)
def summary_briefing(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _summary_export(request, summary_id, "briefing")


def _approved_summary_form(request, summary_id, form_class, save, *, title, button, done, **form_kwargs):
    summary = selectors.summary_get_for(request.user, summary_id)
    if not summary.is_approved:
        messages.error(request, "Approve the summary first")
        return redirect("learning:summary_detail", summary_id=summary.pk)
    form = form_class(_data(request), **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(summary, form.cleaned_data)
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("learning:summary_detail", summary_id=summary.pk)
    return _form_page(request, form=form, title=title, caption=summary.title, button=button,
                      back_url=reverse("learning:summary_detail", args=[summary.pk]), back_text=summary.title)


@allowed_if(can_lead_learning)
def summary_disseminate(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _approved_summary_form(
        request, summary_id, DisseminationForm,
        lambda s, d: services.summary_record_dissemination(by=request.user, summary=s, **d),
        title="Record how the learning was shared", button="Record", done="Dissemination recorded")


@allowed_if(can_lead_learning)
def summary_present(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _approved_summary_form(
        request, summary_id, PresentationForm,
        lambda s, d: services.summary_record_presentation(by=request.user, summary=s, **d),
        title="Record presentation to a committee", button="Record", done="Presentation recorded",
        committees=Committee.objects.filter(board_id=request.user.board_id))


@allowed_if(can_lead_learning)
def summary_evaluate(request: HttpRequest, summary_id: int) -> HttpResponse:
    return _approved_summary_form(
        request, summary_id, EvaluationForm,
        lambda s, d: services.summary_record_evaluation(by=request.user, summary=s, **d),
        title="Record the evaluation of use", button="Save", done="Evaluation saved")


# --- Typology ----------------------------------------------------------------------------------------------

@allowed_if(can_use_library)
def typology(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/typology.html", {
        "tree": selectors.typology_tree(request.user), "can_lead": can_lead_learning(request.user),
        "changes": ThemeChange.objects.filter(board_id=request.user.board_id).select_related("by", "theme")[:20]})


@allowed_if(can_lead_learning)
def theme_add(request: HttpRequest) -> HttpResponse:
    groups = selectors.themes_for(request.user).filter(parent__isnull=True, retired=False)
    form = ThemeAddForm(_data(request), groups=groups)
    if request.method == "POST" and form.is_valid():
        try:
            theme = services.theme_add(by=request.user, board=request.user.board, **form.cleaned_data)
        except services.LearningError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Added {theme.code} {theme.name}")
            return redirect("learning:typology")
    return _form_page(request, form=form, title="Add a theme", back_url=reverse("learning:typology"),
                      back_text="Learning typology", button="Add the theme")


@allowed_if(can_use_library)
def theme_detail(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = selectors.theme_get_for(request.user, theme_id)
    return render(request, "learning/theme_detail.html", {
        "theme": theme, "tags": services.theme_tag_count(theme), "can_lead": can_lead_learning(request.user),
        "changes": theme.changes.select_related("by"), "merged_from": theme.merged_from.all(),
        "versions": theme.history.select_related("history_user")[:20]})


@allowed_if(can_lead_learning)
def theme_rename(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = selectors.theme_get_for(request.user, theme_id)
    form = ThemeRenameForm(_data(request), initial={"name": theme.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.theme_rename(by=request.user, theme=theme, name=form.cleaned_data["name"])
        except services.LearningError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"{theme.code} renamed: everything it tagged shows the new name")
            return redirect("learning:theme_detail", theme_id=theme.pk)
    return _form_page(request, form=form, title=f"Rename {theme.code} {theme.name}", button="Rename",
                      back_url=reverse("learning:theme_detail", args=[theme.pk]), back_text=str(theme))


@allowed_if(can_lead_learning)
@require_POST
def theme_retire(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = selectors.theme_get_for(request.user, theme_id)
    service = services.theme_restore if request.POST.get("restore") else services.theme_retire
    try:
        service(by=request.user, theme=theme)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{theme.code} {'brought back into use' if theme.retired is False else 'retired'}")
    return redirect("learning:theme_detail", theme_id=theme.pk)


@allowed_if(can_lead_learning)
def theme_merge(request: HttpRequest, theme_id: int) -> HttpResponse:
    theme = selectors.theme_get_for(request.user, theme_id)
    targets = selectors.themes_in_use_for(request.user).exclude(pk=theme.pk)
    form = ThemeMergeForm(_data(request), targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.theme_merge(by=request.user, source=theme, target=form.cleaned_data["target"])
        except services.LearningError as error:
            form.add_error("target", str(error))
        else:
            target = form.cleaned_data["target"]
            messages.success(request, f"Merged {theme.code} into {target.code}: {moved} tag"
                                      f"{'s' if moved != 1 else ''} moved")
            return redirect("learning:theme_detail", theme_id=target.pk)
    return _form_page(request, form=form, title=f"Merge {theme.code} {theme.name}", button="Merge",
                      back_url=reverse("learning:theme_detail", args=[theme.pk]), back_text=str(theme),
                      intro=f"{services.theme_tag_count(theme)} record(s) are tagged with this theme. Nothing is "
                            "lost: the history of both themes is kept.")


# --- Recurring learning ------------------------------------------------------------------------------------

@allowed_if(can_use_library)
def question_list(request: HttpRequest) -> HttpResponse:
    questions = selectors.sustain_questions_for(request.user)
    return render(request, "learning/question_list.html", {
        "open": questions.filter(state="open"), "answered": questions.filter(state="answered"),
        "can_lead": can_lead_learning(request.user)})


@allowed_if(can_use_library)
def question_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.sustain_question_get_for(request.user, question_id)
    can_answer = can_answer_sustain_questions(request.user) and question.state == "open"
    form = AnswerForm(_data(request)) if can_answer else None
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.sustain_answer(by=request.user, question=question, answer=form.cleaned_data["answer"])
            except services.LearningError as error:
                form.add_error("answer", str(error))
            else:
                messages.success(request, "Answer recorded: the question is closed")
                return redirect("learning:question_detail", question_id=question.pk)
    return render(request, "learning/question_detail.html", {
        "question": question, "finding": question.finding, "matches": question.matches.all(), "form": form})


@allowed_if(can_lead_learning)
@require_POST
def recurring_scan(request: HttpRequest) -> HttpResponse:
    open_count = services.recurring_scan(by=request.user, board=request.user.board)
    messages.success(request, f"Every finding checked: {open_count} question{'s' if open_count != 1 else ''} "
                              "open for the Performance Committee")
    return redirect("learning:question_list")


# --- Forums ------------------------------------------------------------------------------------------------

@allowed_if(can_use_library)
def forum_list(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/forum_list.html", {
        "forums": selectors.forums_for(request.user), "can_lead": can_lead_learning(request.user)})


@allowed_if(can_lead_learning)
def forum_edit(request: HttpRequest, forum_id: int | None = None) -> HttpResponse:
    forum = selectors.forum_get_for(request.user, forum_id) if forum_id else Forum(board=request.user.board)
    form = ForumForm(_data(request), instance=forum, themes=selectors.themes_in_use_for(request.user),
                     reviews=reviews_visible_to(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            forum = services.forum_save(by=request.user, forum=forum, data=form.cleaned_data,
                                        themes=form.cleaned_data["themes"])
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Forum \u201c{forum.title}\u201d saved")
            return redirect("learning:forum_detail", forum_id=forum.pk)
    back = reverse("learning:forum_detail", args=[forum.pk]) if forum.pk else reverse("learning:forum_list")
    return _form_page(request, form=form, title="Edit the forum" if forum.pk else "Plan a practitioner forum",
                      back_url=back, back_text=forum.title or "Practitioner forums", button="Save the forum")


def _plan_for(source_type: str, source_id: int):
    from casereview.actions.models import ActionPlan

    return ActionPlan.objects.filter(source_type=source_type, source_id=str(source_id)).first()


@allowed_if(can_use_library)
def forum_detail(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get_for(request.user, forum_id)
    sessions = forum.sessions.prefetch_related("attendance__agency")
    return render(request, "learning/forum_detail.html", {
        "forum": forum, "sessions": sessions, "outputs": forum.outputs.all(), "themes": forum.themes.all(),
        "plan": _plan_for("forum", forum.pk), "can_lead": can_lead_learning(request.user),
        "open": forum.state == Forum.State.OPEN})


def _forum_form(request, forum_id, form_class, save, *, title, button, done, **kwargs):
    forum = selectors.forum_get_for(request.user, forum_id)
    form = form_class(_data(request), **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            save(forum, form)
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("learning:forum_detail", forum_id=forum.pk)
    return _form_page(request, form=form, title=title, caption=forum.title, button=button,
                      back_url=reverse("learning:forum_detail", args=[forum.pk]), back_text=forum.title)


@allowed_if(can_lead_learning)
def forum_session_add(request: HttpRequest, forum_id: int) -> HttpResponse:
    return _forum_form(request, forum_id, SessionForm,
                       lambda f, form: services.forum_session_add(by=request.user, forum=f, **form.cleaned_data),
                       title="Add a session", button="Add the session", done="Session added")


@allowed_if(can_lead_learning)
def forum_attendance(request: HttpRequest, forum_id: int, session_id: int) -> HttpResponse:
    forum = selectors.forum_get_for(request.user, forum_id)
    session = forum.sessions.filter(pk=session_id).first()
    if session is None:
        raise Http404("No such session")
    current = {a.agency_id: a.attendees for a in session.attendance.all()}
    return _forum_form(request, forum_id, AttendanceForm,
                       lambda f, form: services.forum_attendance_save(by=request.user, session=session,
                                                                      counts=form.counts()),
                       title=f"Attendance on {session.held_on:%-d %B %Y}", button="Save attendance",
                       done="Attendance saved", agencies=_agencies(request.user), current=current)


@allowed_if(can_lead_learning)
def forum_output_add(request: HttpRequest, forum_id: int) -> HttpResponse:
    return _forum_form(request, forum_id, OutputForm,
                       lambda f, form: services.forum_output_add(by=request.user, forum=f, **form.cleaned_data),
                       title="Record an output", button="Record", done="Output recorded: it is in the library")


@allowed_if(can_lead_learning)
@require_POST
def forum_close(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get_for(request.user, forum_id)
    try:
        services.forum_close(by=request.user, forum=forum)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Forum closed")
    return redirect("learning:forum_detail", forum_id=forum.pk)


def _open_plan(request, *, source_type, source, label, items):
    from casereview.actions.services import PlanError, plan_create

    existing = _plan_for(source_type, source.pk)
    if existing is not None:
        return redirect("actions:plan_detail", plan_id=existing.pk)
    try:
        plan = plan_create(by=request.user, board=request.user.board, source_type=source_type, source_label=label,
                           source_id=str(source.pk), recommendations=[
                               {"number": n, "text": text, "level": "partnership"}
                               for n, text in enumerate(items, start=1)])
    except PlanError as error:
        messages.error(request, str(error))
        return None
    messages.success(request, "Action plan opened: add desired outcomes and actions, then submit it for approval")
    return redirect("actions:plan_detail", plan_id=plan.pk)


@allowed_if(can_lead_learning)
@require_POST
def forum_plan(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get_for(request.user, forum_id)
    items = [o.text for o in forum.outputs.filter(kind="learning")]
    if not items:
        messages.error(request, "Record the forum's learning first: each piece of learning becomes a line of the plan")
        return redirect("learning:forum_detail", forum_id=forum.pk)
    return (_open_plan(request, source_type="forum", source=forum, label=f"Forum: {forum.title}", items=items)
            or redirect("learning:forum_detail", forum_id=forum.pk))


# --- Audits ------------------------------------------------------------------------------------------------

@allowed_if(can_use_library)
def audit_list(request: HttpRequest) -> HttpResponse:
    return render(request, "learning/audit_list.html", {
        "audits": selectors.audits_for(request.user), "tools": selectors.audit_tools_for(request.user),
        "can_lead": can_lead_learning(request.user)})


@allowed_if(can_lead_learning)
def tool_create(request: HttpRequest) -> HttpResponse:
    form = AuditToolForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            tool = services.audit_tool_create(by=request.user, board=request.user.board, **form.cleaned_data)
        except services.LearningError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, "Audit tool created: add its questions")
            return redirect("learning:tool_detail", tool_id=tool.pk)
    return _form_page(request, form=form, title="Create an audit tool", back_url=reverse("learning:audit_list"),
                      back_text="Audits", button="Create the tool")


@allowed_if(can_use_library)
def tool_detail(request: HttpRequest, tool_id: int) -> HttpResponse:
    tool = selectors.audit_tool_get_for(request.user, tool_id)
    can_lead = can_lead_learning(request.user)
    form = AuditQuestionForm(_data(request)) if can_lead else None
    if request.method == "POST":
        if not can_lead:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.audit_question_add(by=request.user, tool=tool, **form.cleaned_data)
            except services.LearningError as error:
                form.add_error("text", str(error))
            else:
                messages.success(request, "Question added")
                return redirect("learning:tool_detail", tool_id=tool.pk)
    questions = [(q, SCALES[q.scale]) for q in tool.questions.all()]
    return render(request, "learning/tool_detail.html", {"tool": tool, "questions": questions, "form": form})


@allowed_if(can_lead_learning)
def audit_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = AuditForm(_data(request), tools=selectors.audit_tools_for(user).filter(question_count__gt=0),
                     agencies=_agencies(user), themes=selectors.themes_in_use_for(user))
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.audit_create(by=user, board=user.board, **form.cleaned_data)
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Audit planned with {audit.cases.count()} cases in the sample")
            return redirect("learning:audit_detail", audit_id=audit.pk)
    return _form_page(request, form=form, title="Plan an audit", back_url=reverse("learning:audit_list"),
                      back_text="Audits", button="Plan the audit",
                      intro="Only tools with questions can be used.")


@allowed_if(can_use_library)
def audit_detail(request: HttpRequest, audit_id: int) -> HttpResponse:
    user = request.user
    audit = selectors.audit_get_for(user, audit_id)
    agencies = list(audit.agencies.all())
    grid = selectors.audit_answer_grid(audit)
    question_count = audit.tool.questions.count()
    cases = [{"case": c, "cells": [{"agency": a, "answered": grid.get((c.pk, a.pk), 0),
                                    "can_answer": audit.state == Audit.State.IN_PROGRESS
                                    and can_answer_audit_for(user, audit, a)} for a in agencies]}
             for c in audit.cases.all()]
    results = selectors.audit_results(audit)
    chart = [(f"Q{r.number}", int(r.percent)) for r in results if r.percent is not None]
    from .charts import bar_chart

    return render(request, "learning/audit_detail.html", {
        "audit": audit, "agencies": agencies, "cases": cases, "question_count": question_count,
        "results": results, "findings": audit.findings.all(), "plan": _plan_for("audit", audit.pk),
        "chart": bar_chart(chart, title="Percentage meeting the standard, by question"),
        "reaudits": audit.reaudits.all(), "can_lead": can_lead_learning(user)})


def _audit_post(request, audit_id, service, done, **kwargs):
    audit = selectors.audit_get_for(request.user, audit_id)
    try:
        service(by=request.user, audit=audit, **kwargs)
    except services.LearningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("learning:audit_detail", audit_id=audit.pk)


@allowed_if(can_lead_learning)
@require_POST
def audit_start(request: HttpRequest, audit_id: int) -> HttpResponse:
    return _audit_post(request, audit_id, services.audit_start, "Audit started: agencies can now record answers")


@allowed_if(can_lead_learning)
@require_POST
def audit_complete(request: HttpRequest, audit_id: int) -> HttpResponse:
    return _audit_post(request, audit_id, services.audit_complete, "Audit complete")


@allowed_if(can_lead_learning)
def audit_sample(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = selectors.audit_get_for(request.user, audit_id)
    form = SampleForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_sample_add(by=request.user, audit=audit, count=form.cleaned_data["count"])
        except services.LearningError as error:
            form.add_error("count", str(error))
        else:
            messages.success(request, "Cases added to the sample")
            return redirect("learning:audit_detail", audit_id=audit.pk)
    return _form_page(request, form=form, title="Add cases to the sample", caption=audit.title, button="Add",
                      back_url=reverse("learning:audit_detail", args=[audit.pk]), back_text=audit.title)


@allowed_if(can_use_library)
def audit_answers(request: HttpRequest, audit_id: int, case_id: int, agency_id: int) -> HttpResponse:
    audit = selectors.audit_get_for(request.user, audit_id)
    case = audit.cases.filter(pk=case_id).first()
    agency = audit.agencies.filter(pk=agency_id).first()
    if case is None or agency is None:
        raise Http404("Not part of this audit")
    if not can_answer_audit_for(request.user, audit, agency):
        raise PermissionDenied
    if audit.state != Audit.State.IN_PROGRESS:
        messages.error(request, "Answers can be recorded only while the audit is in progress")
        return redirect("learning:audit_detail", audit_id=audit.pk)
    current = {a.question_id: (a.grade, a.comment) for a in AuditAnswer.objects.filter(case=case, agency=agency)}
    form = AnswersForm(_data(request), questions=audit.tool.questions.all(), current=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_answers_save(by=request.user, case=case, agency=agency, answers=form.answers())
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Answers for {case.pseudonym} from {agency.name} saved")
            return redirect("learning:audit_detail", audit_id=audit.pk)
    return _form_page(request, form=form, title=f"{case.pseudonym}: {agency.name}", caption=audit.title,
                      button="Save the answers", back_url=reverse("learning:audit_detail", args=[audit.pk]),
                      back_text=audit.title)


@allowed_if(can_lead_learning)
def audit_finding_add(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = selectors.audit_get_for(request.user, audit_id)
    form = AuditFindingForm(_data(request))
    if request.method == "POST" and form.is_valid():
        services.audit_finding_add(by=request.user, audit=audit, **form.cleaned_data)
        messages.success(request, "Finding recorded: it is in the library")
        return redirect("learning:audit_detail", audit_id=audit.pk)
    return _form_page(request, form=form, title="Record a finding", caption=audit.title, button="Record",
                      back_url=reverse("learning:audit_detail", args=[audit.pk]), back_text=audit.title)


@allowed_if(can_lead_learning)
def audit_reaudit(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = selectors.audit_get_for(request.user, audit_id)
    form = ReauditForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            new = services.audit_reaudit(by=request.user, audit=audit, **form.cleaned_data)
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Re-audit planned with the same tool, agencies and sample size")
            return redirect("learning:audit_detail", audit_id=new.pk)
    return _form_page(request, form=form, title="Plan a re-audit", caption=audit.title, button="Plan the re-audit",
                      back_url=reverse("learning:audit_detail", args=[audit.pk]), back_text=audit.title,
                      intro="Results will be shown beside this audit's, question by question.")


@allowed_if(can_lead_learning)
@require_POST
def audit_plan(request: HttpRequest, audit_id: int) -> HttpResponse:
    audit = selectors.audit_get_for(request.user, audit_id)
    items = [f.text for f in audit.findings.filter(improvement=True)]
    if not items:
        messages.error(request, "Record an area for improvement first: each becomes a line of the plan")
        return redirect("learning:audit_detail", audit_id=audit.pk)
    return (_open_plan(request, source_type="audit", source=audit, label=f"Audit: {audit.title}", items=items)
            or redirect("learning:audit_detail", audit_id=audit.pk))


# --- Annual report -----------------------------------------------------------------------------------------

def _report_year(request, year=None):
    years = report.years_for(request.user.board)
    form = ReportYearForm({"year": year or request.GET.get("year") or years[0]}, years=years)
    return form, (form.cleaned_data["year"] if form.is_valid() else None)


@allowed_if(can_use_library)
def annual_report(request: HttpRequest) -> HttpResponse:
    form, year = _report_year(request)
    built = report.build(request.user.board, year) if year else None
    return render(request, "learning/report.html", {"form": form, "report": built,
                                                    "doc": report.as_doc(built) if built else None})


def _report_download(request, year, what):
    form, chosen = _report_year(request, year)
    if chosen is None:
        raise Http404("No report for that year")
    doc = report.as_doc(report.build(request.user.board, chosen))
    audit_access(by=request.user, action="learning.annual_report_downloaded", board_id=request.user.board_id,
                 label=f"Annual report {chosen}", detail={"format": what})
    name = f"learning-annual-report-{chosen}"
    if what == "word":
        return _download(documents.to_word(doc), f"{name}.docx", DOCX)
    return _download(documents.to_pdf(doc), f"{name}.pdf", "application/pdf")


@allowed_if(can_use_library)
def annual_report_word(request: HttpRequest, year: int) -> HttpResponse:
    return _report_download(request, year, "word")


@allowed_if(can_use_library)
def annual_report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    return _report_download(request, year, "pdf")


# --- Regional sharing --------------------------------------------------------------------------------------

@allowed_if(can_use_library)
def regional_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    imports = list(selectors.regional_imports_for(user))
    own = LearningSummary.objects.filter(board_id=user.board_id, state=LearningSummary.State.APPROVED)
    # Theme analysis across boards: themes matched by name, since each board may have renamed its own.
    boards = [user.board.name] + sorted({i.source_board for i in imports})
    table: dict[str, dict[str, int]] = {}
    for summary in own.prefetch_related("themes"):
        for theme in summary.themes.all():
            table.setdefault(theme.name, {}).setdefault(user.board.name, 0)
            table[theme.name][user.board.name] += 1
    for item in RegionalSummary.objects.filter(regional_import__board_id=user.board_id).select_related(
            "regional_import"):
        for theme in item.themes:
            table.setdefault(theme["name"], {}).setdefault(item.regional_import.source_board, 0)
            table[theme["name"]][item.regional_import.source_board] += 1
    rows = sorted(([name, [counts.get(b, 0) for b in boards], sum(counts.values()), len(counts)]
                   for name, counts in table.items()), key=lambda r: (-r[3], -r[2], r[0]))
    from .charts import bar_chart

    chart = bar_chart([(r[0], r[3]) for r in rows[:10]], title="Themes by number of boards reporting them")
    return render(request, "learning/regional.html", {
        "imports": imports, "own_count": own.count(), "boards": boards, "rows": rows, "chart": chart,
        "can_lead": can_lead_learning(user), "version": regional.FORMAT_VERSION})


@allowed_if(can_lead_learning)
def regional_export(request: HttpRequest) -> HttpResponse:
    try:
        data = services.regional_export(by=request.user, board=request.user.board)
    except Refusal as error:
        messages.error(request, str(error))
        return redirect("learning:regional")
    return _download(data, f"regional-learning-{request.user.board.slug}-{date.today():%Y-%m-%d}.json",
                     "application/json")


@allowed_if(can_lead_learning)
def regional_import(request: HttpRequest) -> HttpResponse:
    form = RegionalImportForm(_data(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.regional_import(by=request.user, board=request.user.board,
                                              data=form.cleaned_data["file"].read())
        except regional.FormatError as error:
            for problem in error.errors[:regional.MAX_ERRORS_SHOWN]:
                form.add_error("file", problem)
            if len(error.errors) > regional.MAX_ERRORS_SHOWN:
                form.add_error("file", f"And {len(error.errors) - regional.MAX_ERRORS_SHOWN} more problems")
        except services.LearningError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, f"Imported {record.summaries.count()} summaries from {record.source_board}")
            return redirect("learning:regional")
    return _form_page(request, form=form, title="Import another board's learning", enctype=True,
                      back_url=reverse("learning:regional"), back_text="Regional learning", button="Import",
                      intro="The file is checked against the regional format. Files carrying a name or date of "
                            "birth are refused whole: nothing from them is kept.")
