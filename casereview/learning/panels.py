"""The home page panel: what learning is waiting for the signed-in person (only what they may see)."""

from django.urls import reverse

from casereview.lib.formats import short_date

from .models import LearningSummary
from .permissions import can_answer_sustain_questions, can_approve_summaries
from .selectors import open_questions_for_panel, summaries_visible_to


def learning_panel(user):
    rows = []
    if can_answer_sustain_questions(user):
        for question in open_questions_for_panel(user):
            rows.append({"cells": [f"Why was learning not sustained? {question.finding.review.reference} finding "
                                   f"{question.finding.number}", f"Raised {short_date(question.raised_at)}"],
                         "url": reverse("learning:question_detail", args=[question.pk])})
    if can_approve_summaries(user):
        for summary in summaries_visible_to(user).filter(state=LearningSummary.State.DRAFT)[:5]:
            rows.append({"cells": [f"Learning summary to approve: {summary.review.reference} {summary.title}",
                                   f"Drafted {short_date(summary.created_at)}"],
                         "url": reverse("learning:summary_detail", args=[summary.pk])})
    if not rows:
        return None
    return {"title": "Learning", "headings": ["Waiting", "Since"], "rows": rows,
            "link": {"url": reverse("learning:library"), "text": "Go to the learning library"}}


def learning_waiting(user) -> list[dict]:
    """Steps of learning waiting for this person, for the home page's "Waiting for you": summaries to approve
    and "why was this learning not sustained?" questions to answer (only of reviews they can see)."""
    items = []
    if can_approve_summaries(user):
        items += [{"label": f"Approve the learning summary for {s.review.reference}",
                   "url": reverse("learning:summary_detail", args=[s.pk])}
                  for s in summaries_visible_to(user).filter(state=LearningSummary.State.DRAFT)[:10]]
    if can_answer_sustain_questions(user):
        items += [{"label": f"Answer why earlier learning was not sustained: {q.finding.review.reference} "
                            f"finding {q.finding.number}",
                   "url": reverse("learning:question_detail", args=[q.pk])}
                  for q in open_questions_for_panel(user, limit=10)]
    return items
