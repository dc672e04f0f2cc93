from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from casereview.audit.services import audit_record
from casereview.core.access import allowed_if
from casereview.core.permissions import is_board_member
from casereview.deadlines.services import board_today
from casereview.notifications.models import OutboundEmail

from . import forms, letters, services
from .clocks import next_clock, referral_clocks
from .models import DecisionMatrix, InformationRequest, Referral
from .permissions import (
    can_answer_request,
    can_decide,
    can_edit_referral,
    can_manage_referrals,
    can_raise_referral,
    can_read_letters,
    can_submit_referral,
    can_work_matrix,
)
from .progress import waiting_on
from .selectors import (
    learning_already_identified,
    referral_get_for_user,
    referrals_visible_to,
    reviews_for_question,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _fail(form, error: services.ReferralError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


def _download(request, referral, *, data: bytes, filename: str, content_type: str, what: str) -> HttpResponse:
    with transaction.atomic():
        audit_record(by=request.user, action="referral.downloaded", obj=referral, detail={"file": what})
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


# --- list, raise, view, edit -----------------------------------------------------------------------------
@allowed_if(is_board_member)
def referral_list(request: HttpRequest) -> HttpResponse:
    today = board_today()
    rows = []
    for referral in referrals_visible_to(request.user).prefetch_related("information_requests__agency"):
        clocks = referral_clocks(referral, today=today)
        rows.append({"referral": referral, "clock": next_clock(clocks), "waiting_on": waiting_on(referral, today)})
    return render(request, "referrals/list.html", {"rows": rows, "can_raise": can_raise_referral(request.user)})


@allowed_if(can_raise_referral)
def referral_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {"version": 1, "referrer_name": user.get_full_name(), "referrer_role": user.job_title,
               "referrer_contact": user.phone, "referrer_email": user.email, "referred_on": board_today()}
    form = forms.ReferralForm(request.POST or None, board=user.board, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(by=user, data=form.referral_data(), child=form.child_data(),
                                                agencies=form.cleaned_data["agencies"],
                                                no_longer_involved=form.cleaned_data["no_longer_involved"])
        except services.ReferralError as error:
            _fail(form, error)
        else:
            messages.success(request, f"Draft referral {referral.reference} saved. Your agency's safeguarding "
                                      f"lead approves and submits it")
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/form.html", {"form": form, "referral": None})


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    user = request.user
    referral = referral_get_for_user(user, referral_id)
    services.referral_viewed(by=user, referral=referral)
    today = board_today()
    matrix = DecisionMatrix.objects.filter(referral=referral).prefetch_related("answers__source_agency",
                                                                               "themes").first()
    decision = getattr(referral, "decision", None)
    board_wide = can_read_letters(user)
    context = {
        "referral": referral,
        "case": referral.case,
        "people": referral.case.people.all(),
        "agencies": referral.case.case_agencies.select_related("agency"),
        "clocks": referral_clocks(referral, today=today),
        "waiting_on": waiting_on(referral, today),
        "requests": [(r, r.tracking(today)) for r in referral.information_requests.select_related("agency")],
        "matrix": matrix,
        "scr_test": _scr_test(matrix),
        "decision": decision,
        "notice": getattr(referral, "panel_notice", None),
        "cir": getattr(referral, "cir_consideration", None),
        "questions": referral.learning_questions.select_related("earlier_review", "asked_by"),
        "can_edit": can_edit_referral(user, referral),
        "can_submit": can_submit_referral(user, referral),
        "can_manage": can_manage_referrals(user),
        "can_matrix": can_work_matrix(user),
        "can_decide": can_decide(user) and referral.status == Referral.Status.RECOMMENDED,
        "can_letters": board_wide,
        "my_requests": [r for r in referral.information_requests.all() if can_answer_request(user, r)],
        "emails": OutboundEmail.objects.filter(about_type="referrals.referral", about_id=str(referral.pk))
        if board_wide else [],
    }
    if matrix and matrix.completed_on and (context["can_matrix"] or can_decide(user)):
        context["learning"] = learning_already_identified(user, referral)
        context["question_form"] = forms.QuestionForm(reviews=reviews_for_question(user, referral))
    return render(request, "referrals/detail.html", context)


def _scr_test(matrix):
    if matrix is None:
        return None
    answers = {a.criterion: a.answer for a in matrix.answers.all()}
    return {True: "Met", False: "Not met", None: "Cannot tell yet: some answers are Unknown"}[
        services.scr_test(answers)]


@login_required
def referral_edit(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(request.user, referral_id)
    if not can_edit_referral(request.user, referral):
        raise PermissionDenied
    form = forms.ReferralForm(request.POST or None, board=referral.board,
                              initial=forms.ReferralForm.initial_for(referral))
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_update(by=request.user, referral=referral, version=form.cleaned_data["version"],
                                     data=form.referral_data(), child=form.child_data(),
                                     agencies=form.cleaned_data["agencies"],
                                     no_longer_involved=form.cleaned_data["no_longer_involved"])
        except services.ReferralError as error:
            _fail(form, error)
        else:
            messages.success(request, f"Referral {referral.reference} saved")
            return redirect("referrals:detail", referral.pk)
    services.referral_viewed(by=request.user, referral=referral, what="change form")
    return render(request, "referrals/form.html", {"form": form, "referral": referral})


@login_required
def person_add(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(request.user, referral_id)
    if not can_edit_referral(request.user, referral):
        raise PermissionDenied
    form = forms.PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = services.referral_person_add(by=request.user, referral=referral, **form.cleaned_data)
        messages.success(request, f"{person.anonymised_label} added")
        return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/simple_form.html", {
        "form": form, "referral": referral, "title": "Add a child, family member or significant adult",
        "button": "Add person", "multipart": False})


@login_required
@require_POST
def person_remove(request: HttpRequest, referral_id: int, person_id: int) -> HttpResponse:
    referral = referral_get_for_user(request.user, referral_id)
    if not can_edit_referral(request.user, referral):
        raise PermissionDenied
    person = get_object_or_404(referral.case.people, pk=person_id)
    try:
        services.referral_person_remove(by=request.user, referral=referral, person=person)
    except services.ReferralError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Person removed from the referral")
    return redirect("referrals:detail", referral.pk)


@login_required
@require_POST
def referral_submit(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(request.user, referral_id)
    if not can_submit_referral(request.user, referral):
        raise PermissionDenied
    services.referral_submit(by=request.user, referral=referral)
    messages.success(request, f"Referral {referral.reference} approved and submitted to the board")
    return redirect("referrals:detail", referral.pk)


@allowed_if(can_manage_referrals)
def referral_receive(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(request.user, referral_id)
    if referral.status != Referral.Status.SUBMITTED:
        raise PermissionDenied
    form = forms.ReceiveForm(request.POST or None, initial={"received_on": board_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_receive(by=request.user, referral=referral, **form.cleaned_data)
        except services.ReferralError as error:
            _fail(form, error)
        else:
            messages.success(request, "Receipt recorded. The Independent Chair and the Director of Children's "
                                      "Services have been told")
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/simple_form.html", {
        "form": form, "referral": referral, "title": "Record receipt of the referral",
        "intro": "Recording receipt starts the clock for the Chair's decision and tells the Independent Chair "
                 "and the Director of Children's Services.", "button": "Record receipt and notify"})


# --- call for information --------------------------------------------------------------------------------
@allowed_if(can_manage_referrals)
def information_request(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(request.user, referral_id)
    if referral.status not in (Referral.Status.RECEIVED, Referral.Status.RECOMMENDED):
        raise PermissionDenied
    form = forms.InformationRequestForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.information_request_send(by=request.user, referral=referral, **form.cleaned_data)
        except services.ReferralError as error:
            _fail(form, error)
        else:
            messages.success(request, f"{len(created)} agenc{'y' if len(created) == 1 else 'ies'} asked for a "
                                      f"summary of their involvement")
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/simple_form.html", {
        "form": form, "referral": referral, "title": "Call for information",
        "intro": "Each agency's safeguarding lead is emailed, answers in CaseReview and is chased automatically "
                 "as the deadline nears and once it has passed.", "button": "Send the requests"})


@login_required
def information_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    req = get_object_or_404(InformationRequest.objects.select_related("referral", "agency"), pk=request_id)
    referral = referral_get_for_user(request.user, req.referral_id)
    if not can_answer_request(request.user, req):
        raise PermissionDenied
    initial = {"summary": req.summary}
    if req.still_involved is not None:
        initial["still_involved"] = "yes" if req.still_involved else "no"
    form = forms.AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.information_answer(by=request.user, request=req, **form.cleaned_data)
        except services.ReferralError as error:
            _fail(form, error)
        else:
            messages.success(request, f"{req.agency}'s summary sent to the board")
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/simple_form.html", {
        "form": form, "referral": referral, "title": f"{req.agency}: summary of involvement",
        "intro": f"The board asks for your agency's summary by {req.due_on:%-d %B %Y}.", "button": "Send summary"})


# --- decision matrix -------------------------------------------------------------------------------------
@allowed_if(can_work_matrix)
def matrix(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(request.user, referral_id)
    if referral.status != Referral.Status.RECEIVED:
        raise PermissionDenied
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
                                 data=main.cleaned_data, complete=complete,
                                 answers={f.criterion: f.cleaned_data for f in rows})
        except services.ReferralError as error:
            target = next((f for f in rows if error.field and error.field.startswith(f.prefix + "-")), None)
            if target:
                target.add_error(error.field.removeprefix(target.prefix + "-"), str(error))
            else:
                _fail(main, error)
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
    referral = referral_get_for_user(request.user, referral_id)
    if referral.status != Referral.Status.RECOMMENDED:
        raise PermissionDenied
    services.matrix_reopen(by=request.user, referral=referral)
    messages.success(request, "The decision matrix is open for changes again")
    return redirect("referrals:matrix", referral.pk)


@login_required
@require_POST
def question_add(request: HttpRequest, referral_id: int) -> HttpResponse:
    if not (can_work_matrix(request.user) or can_decide(request.user)):
        raise PermissionDenied
    referral = referral_get_for_user(request.user, referral_id)
    form = forms.QuestionForm(request.POST, reviews=reviews_for_question(request.user, referral))
    if form.is_valid():
        services.learning_question_add(by=request.user, referral=referral, **form.cleaned_data)
        messages.success(request, "Question recorded. It stays with the case")
        return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/simple_form.html", {
        "form": form, "referral": referral, "title": "Ask why earlier learning was not sustained",
        "button": "Record the question", "action": "referrals:question_add"})


# --- the Chair's decision --------------------------------------------------------------------------------
@allowed_if(can_decide)
def decide(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = referral_get_for_user(request.user, referral_id)
    if referral.status != Referral.Status.RECOMMENDED:
        raise PermissionDenied
    form = forms.DecisionForm(request.POST or None, referral=referral, initial={"decided_on": board_today()})
    if request.method == "POST" and form.is_valid():
        try:
            made = services.decision_record(by=request.user, referral=referral, **form.cleaned_data)
        except services.ReferralError as error:
            _fail(form, error)
        else:
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


# --- letters and the Panel notice ------------------------------------------------------------------------
def _decided(request, referral_id) -> Referral:
    referral = referral_get_for_user(request.user, referral_id)
    if not hasattr(referral, "decision"):
        raise Http404("No decision yet")
    return referral


@allowed_if(can_read_letters)
def letter_docx(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _decided(request, referral_id)
    return _download(request, referral, data=letters.feedback_docx(referral), content_type=DOCX,
                     filename=f"{referral.reference}-feedback.docx", what="feedback letter (Word)")


@allowed_if(can_read_letters)
def letter_pdf(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _decided(request, referral_id)
    return _download(request, referral, data=letters.feedback_pdf(referral), content_type="application/pdf",
                     filename=f"{referral.reference}-feedback.pdf", what="feedback letter (PDF)")


@allowed_if(can_manage_referrals)
def letter_sent(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _decided(request, referral_id)
    form = forms.SentForm(request.POST or None, referral=referral, initial={"sent_on": board_today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_sent(by=request.user, referral=referral, **form.cleaned_data)
        except services.ReferralError as error:
            _fail(form, error)
        else:
            messages.success(request, "Feedback letter recorded as sent to the referrer")
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/simple_form.html", {
        "form": form, "referral": referral, "title": "Record the feedback letter as sent",
        "intro": f"Send the letter to {referral.referrer_name} ({referral.referrer_email}), then record the date.",
        "button": "Record as sent"})


@allowed_if(can_manage_referrals)
def panel_notice(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _decided(request, referral_id)
    notice = getattr(referral, "panel_notice", None)
    form = None
    if notice is None:
        form = forms.PanelNoticeForm(request.POST or None, request.FILES or None, referral=referral,
                                     initial={"sent_on": board_today()})
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            data["upload"] = data.pop("sin_upload", None)
            try:
                services.panel_notice_record(by=request.user, referral=referral, **data)
            except services.ReferralError as error:
                _fail(form, error)
            else:
                messages.success(request, "National Panel notice recorded as sent")
                return redirect("referrals:detail", referral.pk)
    elif request.method == "POST":
        raise PermissionDenied
    services.referral_viewed(by=request.user, referral=referral, what="panel notice")
    return render(request, "referrals/panel_notice.html", {
        "referral": referral, "form": form, **letters.panel_notice_context(referral),
        "clocks": [c for c in referral_clocks(referral) if c.slug == "panel-notice"],
    })


@allowed_if(can_read_letters)
def panel_notice_pdf(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _decided(request, referral_id)
    return _download(request, referral, data=letters.panel_notice_pdf(referral), content_type="application/pdf",
                     filename=f"{referral.reference}-panel-notice.pdf", what="National Panel notice (PDF)")


@allowed_if(can_read_letters)
def sin_download(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _decided(request, referral_id)
    notice = getattr(referral, "panel_notice", None)
    if notice is None or not notice.sin_file or not default_storage.exists(notice.sin_file):
        raise Http404("No notification uploaded")
    with transaction.atomic():
        audit_record(by=request.user, action="referral.downloaded", obj=referral,
                     detail={"file": "Serious Incident Notification"})
    response = FileResponse(default_storage.open(notice.sin_file, "rb"), as_attachment=True,
                            filename=notice.sin_filename or "serious-incident-notification")
    response["Cache-Control"] = "no-store"
    return response


@allowed_if(can_work_matrix)
def cir(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = _decided(request, referral_id)
    consideration = getattr(referral, "cir_consideration", None)
    if consideration is None or not consideration.is_open:
        raise PermissionDenied
    form = forms.CirForm(request.POST or None, initial={"decided_on": board_today()})
    if request.method == "POST" and form.is_valid():
        try:
            done = services.cir_record(by=request.user, referral=referral, **form.cleaned_data)
        except services.ReferralError as error:
            _fail(form, error)
        else:
            extra = f" Review {done.review.reference} has been opened." if done.review else ""
            messages.success(request, f"Critical Incident Review consideration recorded.{extra}")
            return redirect("referrals:detail", referral.pk)
    return render(request, "referrals/simple_form.html", {
        "form": form, "referral": referral, "title": "Consider for a Critical Incident Review",
        "intro": "The Chair did not initiate a Serious Case Review, so the case is considered for a Critical "
                 "Incident Review (framework section 6). Choosing a review opens it.", "button": "Record outcome"})
