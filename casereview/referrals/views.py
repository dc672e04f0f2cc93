"""Referral pages. Each view: a role check (@allowed_if), the referral through a selector (404 out of scope, 403
when the action is not open to the person now), one service through apply_service, then render."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from casereview.audit.services import audit_access
from casereview.core.access import allowed_if
from casereview.core.concurrency import version_initial
from casereview.core.errors import ServiceError
from casereview.core.forms import apply_service, refuse
from casereview.core.permissions import is_board_member
from casereview.lib.dates import today
from casereview.lib.formats import long_date
from casereview.notifications.models import OutboundEmail
from casereview.partnership.selectors import agencies_without_recipient

from . import forms, letters, services
from .clocks import next_clock, referral_clocks
from .models import DecisionMatrix, Referral
from .permissions import (
    can_answer_request,
    can_ask_questions,
    can_decide,
    can_liaise_on_threshold,
    can_manage_referrals,
    can_raise_referral,
    can_read_letters,
    can_send_feedback_role,
    can_work_matrix,
)
from .progress import waiting_on
from .selectors import (
    information_request_get_for_answer,
    learning_already_identified,
    panel_log_entry_get_for_user,
    referral_actions,
    referral_get_for_action,
    referral_get_for_user,
    referrals_visible_to,
    reviews_for_question,
    threshold_notice_get_for_user,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _download(request, referral, *, data: bytes, filename: str, content_type: str, what: str) -> HttpResponse:
    audit_access(by=request.user, action="referral.downloaded", obj=referral, detail={"file": what})
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _form_page(request, referral, form, *, title: str, button: str, intro: str = "", multipart=False,
               extra: dict | None = None):
    return render(request, "referrals/simple_form.html", {
        "form": form, "referral": referral, "title": title, "button": button, "intro": intro,
        "multipart": multipart, **(extra or {})})


# --- list, raise, view, edit -----------------------------------------------------------------------------
@allowed_if(is_board_member)
def referral_list(request: HttpRequest) -> HttpResponse:
    day = today()
    rows = []
    for referral in referrals_visible_to(request.user).prefetch_related("information_requests__agency",
                                                                       "panel_log"):
        clocks = referral_clocks(referral, today=day)
        rows.append({"referral": referral, "clock": next_clock(clocks), "waiting_on": waiting_on(referral, day)})
    return render(request, "referrals/list.html", {"rows": rows, "can_raise": can_raise_referral(request.user),
                                                   "can_record": can_manage_referrals(request.user)})


@allowed_if(can_raise_referral)
def referral_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"version": 1, "referrer_name": user.get_full_name(), "referrer_role": user.job_title,
               "referrer_contact": user.phone, "referrer_email": user.email, "referred_on": today()}
    form = forms.ReferralForm(request.POST or None, board=user.board, initial=initial)
    if request.method == "POST":
        ok, referral = apply_service(form, lambda: services.referral_create(
            by=user, details=form.details(), child=form.child(), agencies=form.cleaned_data["agencies"],
            no_longer_involved=form.cleaned_data["no_longer_involved"]))
        if ok:
            messages.success(request, f"Draft referral {referral.reference} saved. Your agency's safeguarding "
                                      f"lead approves and submits it")
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/form.html", {"form": form, "referral": None})


@allowed_if(can_manage_referrals)
def referral_record(request: HttpRequest) -> HttpResponse:
    """The Business Manager records a referral received by secure email or from the child death overview panel."""
    user = request.user
    form = forms.ExternalReferralForm(request.POST or None, request.FILES or None, board=user.board,
                                      initial={"version": 1, "received_on": today(), "referred_on": today()})
    if request.method == "POST":
        ok, referral = apply_service(form, lambda: services.referral_record_received(
            by=user, details=form.details(), child=form.child(), agencies=form.cleaned_data["agencies"],
            no_longer_involved=form.cleaned_data["no_longer_involved"],
            referrer_organisation=form.cleaned_data["referrer_organisation"],
            received_via=form.cleaned_data["received_via"], received_on=form.cleaned_data["received_on"],
            board_notified_on=form.cleaned_data["board_notified_on"], upload=form.cleaned_data["upload"]))
        if ok:
            messages.success(request, f"Referral {referral.reference} recorded as received. The Independent Chair, "
                                      f"the Director of Children's Services and the SCR Committee have been told")
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/form.html", {"form": form, "referral": None, "external": True})


@allowed_if(is_board_member)
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = request.user
    referral = referral_get_for_user(user, referral_id)
    services.referral_viewed(by=user, referral=referral)
    day = today()
    matrix = DecisionMatrix.objects.filter(referral=referral).prefetch_related("answers__source_agency",
                                                                               "themes").first()
    actions = referral_actions(user, referral)
    board_wide = can_read_letters(user)
    context = {
        "referral": referral,
        "actions": actions,
        "case": referral.case,
        "people": [(p, p.relationship != p.Relationship.SUBJECT_CHILD) for p in referral.case.people.all()],
        "agencies": referral.case.case_agencies.select_related("agency"),
        "clocks": referral_clocks(referral, today=day),
        "waiting_on": waiting_on(referral, day),
        "requests": [(r, r.tracking(day), r.tracking_tag(day))
                     for r in referral.information_requests.select_related("agency")],
        "matrix": matrix,
        "scr_test": _scr_test(matrix),
        "decision": getattr(referral, "decision", None),
        "notice": getattr(referral, "panel_notice", None),
        "cir": getattr(referral, "cir_consideration", None),
        "panel_log": referral.panel_log.all() if board_wide else [],
        "questions": referral.learning_questions.select_related("earlier_review", "asked_by"),
        "draft_hidden_note": referral.status == Referral.Status.DRAFT and not actions.submit,
        "my_requests": [r for r in referral.information_requests.all() if can_answer_request(user, r)],
        "emails": OutboundEmail.objects.filter(about_type="referrals.referral", about_id=str(referral.pk))
        if board_wide else [],
    }
    if matrix and matrix.completed_on and (can_work_matrix(user) or can_decide(user)):
        context["learning"] = learning_already_identified(user, referral)
        context["question_form"] = forms.QuestionForm(reviews=reviews_for_question(user, referral))
    return render(request, "referrals/detail.html", context)


def _scr_test(matrix):
    if matrix is None:
        return None
    answers = {a.criterion: a.answer for a in matrix.answers.all()}
    return {True: "Met", False: "Not met", None: "Cannot tell yet: some answers are Unknown"}[
        services.scr_test(answers)]


@allowed_if(is_board_member)
def referral_edit(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "edit")
    form = forms.ReferralForm(request.POST or None, board=referral.board,
                              initial=forms.ReferralForm.initial_for(referral))
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.referral_update(
            by=request.user, referral=referral, version=form.cleaned_data["version"], details=form.details(),
            child=form.child(), agencies=form.cleaned_data["agencies"],
            no_longer_involved=form.cleaned_data["no_longer_involved"]))
        if ok:
            messages.success(request, f"Referral {referral.reference} saved")
            return redirect("referrals:detail", referral.pk)
    services.referral_viewed(by=request.user, referral=referral, what="change form")
    return render(request, "referrals/form.html", {"form": form, "referral": referral})


@allowed_if(is_board_member)
def person_add(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "edit")
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST":
        ok, person = apply_service(form, lambda: services.referral_person_add(
            by=request.user, referral=referral, **form.cleaned_data))
        if ok:
            messages.success(request, f"{person.anonymised_label} added")
            return redirect("referrals:detail", referral.pk)
    return _form_page(request, referral, form, title="Add a child, family member or significant adult",
                      button="Add person")


@allowed_if(is_board_member)
@require_POST
def person_remove(request: HttpRequest, referral_id: int, person_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "edit")
    person = get_object_or_404(referral.case.people, pk=person_id)
    try:
        services.referral_person_remove(by=request.user, referral=referral, person=person)
    except services.ReferralError as error:
        refuse(request, error)
    else:
        messages.success(request, "Person removed from the referral")
    return redirect("referrals:detail", referral.pk)


@allowed_if(is_board_member)
@require_POST
def referral_submit(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "submit")
    try:
        services.referral_submit(by=request.user, referral=referral)
    except services.ReferralError as error:
        refuse(request, error)
    else:
        messages.success(request, f"Referral {referral.reference} approved and submitted to the board")
    return redirect("referrals:detail", referral.pk)


@allowed_if(can_manage_referrals)
def referral_receive(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "receive")
    form = forms.ReceiveForm(request.POST or None, initial={"received_on": today()})
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.referral_receive(
            by=request.user, referral=referral, **form.cleaned_data))
        if ok:
            messages.success(request, "Receipt recorded. The Independent Chair, the Director of Children's Services "
                                      "and the SCR Committee have been told")
            return redirect("referrals:detail", referral.pk)
    return _form_page(request, referral, form, title="Record receipt of the referral",
                      intro="Recording receipt starts the clock for the decision and tells the Independent Chair, "
                            "the Director of Children's Services and the SCR Committee.",
                      button="Record receipt and notify")


# --- call for information --------------------------------------------------------------------------------
@allowed_if(can_manage_referrals)
def information_request(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "request_information")
    form = forms.InformationRequestForm(request.POST or None, referral=referral)
    if request.method == "POST":
        ok, created = apply_service(form, lambda: services.information_request_send(
            by=request.user, referral=referral, **form.cleaned_data))
        if ok:
            sent = [r for r in created if r.delivered]
            missed = [r.agency.name for r in created if not r.delivered]
            text = f"{len(sent)} agenc{'y' if len(sent) == 1 else 'ies'} asked for a summary of their involvement"
            if missed:
                text += (f". Not delivered to {', '.join(missed)}: nobody there is set up to receive it. Add a "
                         f"safeguarding lead and it is sent with the next reminder")
            (messages.warning if missed else messages.success)(request, text)
            return redirect("referrals:detail", referral.pk)
    agencies = form.fields["agencies"].queryset
    return _form_page(request, referral, form, title="Call for information",
                      intro="Each agency's safeguarding lead is emailed, answers in CaseReview and is chased "
                            "automatically as the deadline nears and once it has passed.",
                      button="Send the requests",
                      extra={"no_recipient": agencies_without_recipient(agencies, leads_only=True)})


@allowed_if(is_board_member)
def information_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    req = information_request_get_for_answer(request.user, request_id)
    referral = req.referral
    initial = {"summary": req.summary, **version_initial(req)}
    if req.still_involved is not None:
        initial["still_involved"] = "yes" if req.still_involved else "no"
    form = forms.AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.information_answer(
            by=request.user, request=req, **form.cleaned_data))
        if ok:
            messages.success(request, f"{req.agency}'s summary sent to the board")
            return redirect("referrals:detail", referral.pk)
    return _form_page(request, referral, form, title=f"{req.agency}: summary of involvement",
                      intro=f"The board asks for your agency's summary by {long_date(req.due_on)}.",
                      button="Send summary")


# --- decision matrix, routing ----------------------------------------------------------------------------
@allowed_if(can_work_matrix)
def matrix(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "matrix")
    existing = DecisionMatrix.objects.filter(referral=referral).first()
    answers = {a.criterion: a for a in existing.answers.all()} if existing else {}
    complete = request.method == "POST" and "complete" in request.POST
    data = request.POST if request.method == "POST" else None
    initial = {"version": referral.version}
    if existing:
        initial.update({k: getattr(existing, k) for k in (
            "learning_potential", "good_practice", "previous_learning", "parallel_processes", "parallel_notes",
            "impact", "public_interest", "targeted_criteria", "recommended_outcome", "rationale")})
        initial["themes"] = list(existing.themes.values_list("pk", flat=True))
    main = forms.MatrixForm(data, board_id=referral.board_id, complete=complete, initial=initial)
    rows = []
    for code in Referral.Criterion.values:
        a = answers.get(code)
        rows.append(forms.CriterionForm(data, criterion=code, board_id=referral.board_id, initial={
            "answer": a.answer if a else "unknown", "evidence": a.evidence if a else "",
            "source_agency": a.source_agency_id if a else None}))
    if request.method == "POST" and main.is_valid() and all(f.is_valid() for f in rows):
        try:
            services.matrix_save(by=request.user, referral=referral, version=main.cleaned_data["version"],
                                 details=main.details(), complete=complete,
                                 answers={f.criterion: f.matrix_answer() for f in rows})
        except ServiceError as error:
            # Several forms on one page: a criterion's refusal lands on that criterion, the rest on the main form.
            target = next((f for f in rows if error.field and error.field.startswith(f.prefix + "-")), None)
            if target:
                target.add_error(error.field.removeprefix(target.prefix + "-"), error.message)
            else:
                main.add_error(error.field if error.field in main.fields else None, error.message)
        else:
            messages.success(request, "Recommendation sent to the Independent Chair" if complete
                             else "Decision matrix saved")
            return redirect("referrals:detail", referral.pk)
    services.referral_viewed(by=request.user, referral=referral, what="matrix")
    live = {f.criterion: (f.data.get(f"{f.prefix}-answer") if f.is_bound else f.initial.get("answer"))
            for f in rows}
    return render(request, "referrals/matrix.html", {
        "referral": referral, "form": main, "rows": rows, "forms": rows,
        "scr_test": {True: "Met", False: "Not met", None: "Cannot tell yet: some answers are Unknown"}[
            services.scr_test(live)],
        "requests": referral.information_requests.select_related("agency"),
    })


@allowed_if(can_work_matrix)
@require_POST
def matrix_reopen(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "reopen_matrix")
    try:
        services.matrix_reopen(by=request.user, referral=referral)
    except services.ReferralError as error:
        refuse(request, error)
        return redirect("referrals:detail", referral.pk)
    messages.success(request, "The decision matrix is open for changes again")
    return redirect("referrals:matrix", referral.pk)


@allowed_if(can_work_matrix)
def route(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "route")
    form = forms.RouteForm(request.POST or None, initial={"decided_on": today()})
    if request.method == "POST":
        ok, done = apply_service(form, lambda: services.referral_route(
            by=request.user, referral=referral, **form.cleaned_data))
        if ok:
            extra = f" Review {done.review.reference} has been opened." if done.review else ""
            messages.success(request, f"Outcome recorded: {done.get_outcome_display()}.{extra} Send the feedback "
                                      f"to the referrer next")
            return redirect("referrals:detail", referral.pk)
    return _form_page(request, referral, form, title="Route the referral",
                      intro=f"The referral was made to {referral.get_purpose_display().lower()}, not for a Serious "
                            f"Case Review: the SCR Committee decides where its learning goes. No Chair's decision "
                            f"or National Panel notice is needed.", button="Record the outcome")


@allowed_if(can_ask_questions)
@require_POST
def question_add(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "ask_question")
    form = forms.QuestionForm(request.POST, reviews=reviews_for_question(request.user, referral))
    ok, _ = apply_service(form, lambda: services.learning_question_add(
        by=request.user, referral=referral, **form.cleaned_data))
    if ok:
        messages.success(request, "Question recorded. It stays with the case")
        return redirect("referrals:detail", referral.pk)
    return _form_page(request, referral, form, title="Ask why earlier learning was not sustained",
                      button="Record the question")


# --- the Chair's decision --------------------------------------------------------------------------------
@allowed_if(can_decide)
def decide(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "decide")
    form = forms.DecisionForm(request.POST or None, initial={"decided_on": today()})
    if request.method == "POST":
        ok, made = apply_service(form, lambda: services.decision_record(
            by=request.user, referral=referral, **form.cleaned_data))
        if ok:
            extra = (f" Review {made.review.reference} has been opened." if made.review else
                     " The case will now be considered for a Critical Incident Review.")
            messages.success(request, f"Decision recorded.{extra}")
            return redirect("referrals:detail", referral.pk)
    services.referral_viewed(by=request.user, referral=referral, what="decision")
    matrix_obj = referral.matrix
    return render(request, "referrals/decide.html", {
        "referral": referral, "form": form, "matrix": matrix_obj, "scr_test": _scr_test(matrix_obj),
        "answers": matrix_obj.answers.select_related("source_agency"),
        "clocks": referral_clocks(referral),
    })


# --- letters, feedback, the Panel notice and log ---------------------------------------------------------
@allowed_if(can_read_letters)
def letter_docx(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "read_letters")
    return _download(request, referral, data=letters.feedback_docx(referral), content_type=DOCX,
                     filename=f"{referral.reference}-feedback.docx", what="feedback letter (Word)")


@allowed_if(can_read_letters)
def letter_pdf(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "read_letters")
    return _download(request, referral, data=letters.feedback_pdf(referral), content_type="application/pdf",
                     filename=f"{referral.reference}-feedback.pdf", what="feedback letter (PDF)")


@allowed_if(can_send_feedback_role)
def letter_sent(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "send_feedback")
    form = forms.FeedbackForm(request.POST or None, referral=referral, initial={"sent_on": today()})
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.feedback_send(
            by=request.user, referral=referral, **form.cleaned_data))
        if ok:
            messages.success(request, f"Feedback emailed to {referral.referrer_email} and recorded as sent"
                             if form.cleaned_data["email"] else "Feedback letter recorded as sent to the referrer")
            return redirect("referrals:detail", referral.pk)
    return _form_page(request, referral, form, title="Send the feedback to the referrer",
                      intro=f"The letter to {referral.referrer_name} gives the outcome, the rationale of the SCR "
                            f"Committee's discussion and, where the Chair decided, the Chair's, signed by the chair "
                            f"of the SCR Committee.", button="Send or record the feedback",
                      extra={"letter_links": True})


@allowed_if(can_manage_referrals)
def panel_notice(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "panel_notice")
    notice = getattr(referral, "panel_notice", None)
    form = None
    if notice is None:
        form = forms.PanelNoticeForm(request.POST or None, request.FILES or None, referral=referral,
                                     initial={"sent_on": today()})
        if request.method == "POST":
            ok, _ = apply_service(form, lambda: services.panel_notice_record(
                by=request.user, referral=referral, upload=form.cleaned_data.get("sin_upload"),
                **{k: v for k, v in form.cleaned_data.items() if k != "sin_upload"}))
            if ok:
                messages.success(request, "National Panel notice recorded as sent")
                return redirect("referrals:detail", referral.pk)
    elif request.method == "POST":
        refuse(request, services.ReferralError("The National Panel notice has already been recorded as sent"))
        return redirect("referrals:panel_notice", referral.pk)
    services.referral_viewed(by=request.user, referral=referral, what="panel notice")
    return render(request, "referrals/panel_notice.html", {
        "referral": referral, "form": form, **letters.panel_notice_context(referral),
        "clocks": [c for c in referral_clocks(referral) if c.slug == "panel-notice"],
    })


@allowed_if(can_read_letters)
def panel_notice_pdf(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "read_panel_notice")
    return _download(request, referral, data=letters.panel_notice_pdf(referral), content_type="application/pdf",
                     filename=f"{referral.reference}-panel-notice.pdf", what="National Panel notice (PDF)")


@allowed_if(can_read_letters)
def sin_download(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "read_panel_notice")
    notice = getattr(referral, "panel_notice", None)
    if notice is None or not notice.sin_file or not default_storage.exists(notice.sin_file):
        raise Http404("No notification uploaded")
    return _file(request, referral, notice.sin_file, notice.sin_filename or "serious-incident-notification",
                 "Serious Incident Notification")


@allowed_if(can_read_letters)
def original_download(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(request.user, referral_id)
    if not referral.original_file or not default_storage.exists(referral.original_file):
        raise Http404("No original form")
    return _file(request, referral, referral.original_file, referral.original_filename or "referral-form",
                 "referral form as received")


def _file(request, referral, stored: str, filename: str, what: str) -> FileResponse:
    audit_access(by=request.user, action="referral.downloaded", obj=referral, detail={"file": what})
    response = FileResponse(default_storage.open(stored, "rb"), as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


@allowed_if(can_manage_referrals)
def panel_log_add(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "panel_log")
    form = forms.PanelLogForm(request.POST or None, initial={"on": today()})
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.panel_log_add(
            by=request.user, referral=referral, **form.cleaned_data))
        if ok:
            messages.success(request, "Added to the National Panel log")
            return redirect("referrals:detail", referral.pk)
    return _form_page(request, referral, form, title="Add to the National Panel log",
                      intro="Record what the board told DfE or the Panel, the Panel's advice, and the Panel's "
                            "requests with the date an answer is due.", button="Add to the log")


@allowed_if(can_manage_referrals)
def panel_log_answer(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = panel_log_entry_get_for_user(request.user, entry_id)
    referral = referral_get_for_action(request.user, entry.referral_id, "panel_log")
    form = forms.PanelAnswerForm(request.POST or None, initial={"answered_on": today()})
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.panel_request_answered(
            by=request.user, entry=entry, **form.cleaned_data))
        if ok:
            messages.success(request, "Panel request recorded as answered")
            return redirect("referrals:detail", referral.pk)
    return _form_page(request, referral, form, title=f"Answer: {entry.get_kind_display()}",
                      button="Record as answered")


@allowed_if(can_work_matrix)
def cir(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_action(request.user, referral_id, "consider_cir")
    form = forms.CirForm(request.POST or None, initial={"decided_on": today()})
    if request.method == "POST":
        ok, done = apply_service(form, lambda: services.cir_record(
            by=request.user, referral=referral, **form.cleaned_data))
        if ok:
            extra = f" Review {done.review.reference} has been opened." if done.review else ""
            messages.success(request, f"Critical Incident Review consideration recorded.{extra}")
            return redirect("referrals:detail", referral.pk)
    return _form_page(request, referral, form, title="Consider for a Critical Incident Review",
                      intro="The Chair did not initiate a Serious Case Review, so the case is considered for a "
                            "Critical Incident Review, as the board's framework requires. Choosing a review opens "
                            "it.", button="Record outcome")


@allowed_if(can_liaise_on_threshold)
def threshold_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    """The Performance Committee chair's notice that a case may meet the threshold: the reference, dates and
    where it stands, who to liaise with, and where to record that they did. Not the case record."""
    notice = threshold_notice_get_for_user(request.user, notice_id)
    referral = notice.referral
    form = forms.ThresholdLiaisonForm(request.POST or None)
    if request.method == "POST" and not notice.liaised_on:
        ok, _ = apply_service(form, lambda: services.threshold_liaison_record(
            by=request.user, notice=notice, liaised_on=form.cleaned_data["liaised_on"],
            note=form.cleaned_data["note"]))
        if ok:
            messages.success(request, "Recorded that you liaised on this referral")
            return redirect("referrals:threshold_notice", notice_id=notice.pk)
    elif request.method == "GET":
        audit_access(by=request.user, action="referral.threshold_notice_viewed", obj=referral)
    return render(request, "referrals/threshold_notice.html", {
        "notice": notice, "referral": referral, "form": form, "clock": next_clock(referral_clocks(referral)),
        "contacts": services.threshold_contacts(referral)})
