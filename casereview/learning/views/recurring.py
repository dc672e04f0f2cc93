"""Recurring learning: "why was this learning not sustained?" questions for the Performance Committee."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from casereview.core.access import allowed_if
from casereview.core.forms import apply_service

from .. import selectors, services
from ..forms import AnswerForm
from ..models import SustainQuestion
from ..permissions import can_answer_sustain_questions, can_lead_learning, can_use_library
from ..words import plural


@allowed_if(can_use_library)
def question_list(request: HttpRequest) -> HttpResponse:
    questions = selectors.sustain_questions_for(request.user)
    return render(request, "learning/question_list.html", {
        "open": questions.filter(state=SustainQuestion.State.OPEN),
        "answered": questions.filter(state=SustainQuestion.State.ANSWERED),
        "can_lead": can_lead_learning(request.user)})


def _question_page(request, question, form):
    return render(request, "learning/question_detail.html", {
        "question": question, "finding": question.finding, "matches": question.matches.all(), "form": form})


@allowed_if(can_use_library)
def question_detail(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.sustain_question_get_for_user(request.user, question_id)
    actions = selectors.sustain_question_actions(request.user, question)
    return _question_page(request, question, AnswerForm() if "answer" in actions else None)


@allowed_if(can_answer_sustain_questions)
@require_POST
def question_answer(request: HttpRequest, question_id: int) -> HttpResponse:
    question = selectors.sustain_question_get_for_user(request.user, question_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        ok, _ = apply_service(form, services.sustain_answer, by=request.user, question=question,
                              **form.cleaned_data)
        if ok:
            messages.success(request, "Answer recorded: the question is closed")
            return redirect("learning:question_detail", question_id=question.pk)
    return _question_page(request, question, form)


@allowed_if(can_lead_learning)
@require_POST
def recurring_scan(request: HttpRequest) -> HttpResponse:
    open_count = services.recurring_scan(by=request.user, board=request.user.board)
    messages.success(request, f"Every finding checked: {plural(open_count, 'question')} open for the "
                              "Performance Committee")
    return redirect("learning:question_list")
