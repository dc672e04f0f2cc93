"""The home page panel: what learning is waiting for the signed-in person."""

from django.urls import reverse

from .models import LearningSummary, SustainQuestion
from .permissions import can_answer_sustain_questions, can_approve_summaries
from .selectors import summaries_visible_to


def learning_panel(user):
    rows = []
    if can_answer_sustain_questions(user):
        for question in (SustainQuestion.objects.filter(board_id=user.board_id, state=SustainQuestion.State.OPEN)
                         .select_related("finding__review").order_by("raised_at")[:5]):
            rows.append({"cells": [f"Why was learning not sustained? {question.finding.review.reference} finding "
                                   f"{question.finding.number}", f"Raised {question.raised_at:%-d %b %Y}"],
                         "url": reverse("learning:question_detail", args=[question.pk])})
    if can_approve_summaries(user):
        for summary in summaries_visible_to(user).filter(state=LearningSummary.State.DRAFT)[:5]:
            rows.append({"cells": [f"Learning summary to approve: {summary.review.reference} {summary.title}",
                                   f"Drafted {summary.created_at:%-d %b %Y}"],
                         "url": reverse("learning:summary_detail", args=[summary.pk])})
    if not rows:
        return None
    return {"title": "Learning", "headings": ["Waiting", "Since"], "rows": rows,
            "link": {"url": reverse("learning:library"), "text": "Go to the learning library"}}
