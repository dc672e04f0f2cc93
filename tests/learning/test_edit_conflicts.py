"""Two people editing one learning record at once: the second save is refused, the first one's words stay."""


from datetime import date

import pytest
from django.urls import reverse

from casereview.learning.models import AuditAnswer, Forum, LearningSummary
from casereview.partnership.roles import Role
from tests.factories import UserFactory
from tests.support.edit_conflict import second_save_is_refused

from . import factories as f

pytestmark = pytest.mark.django_db


def _performance_chair(world):
    return UserFactory(board=world.board, agency=world.agency_b, username="perf-chair-edit",
                       roles=[Role.PERFORMANCE_CHAIR])


def _summary_data(key_findings):
    return {"title": "Child Q", "review_type": "Critical Incident Review", "key_findings": key_findings,
            "case_summary": "A young person harmed at home.", "reflection_questions": "Why?"}


def test_a_stale_edit_of_a_learning_summary_is_refused(world, as_user):
    summary = f.summary(world, approved=False)
    second_save_is_refused(
        a=as_user(world.reviewer), b=as_user(world.manager),
        url=reverse("learning:summary_edit", args=[summary.pk]),
        a_data=_summary_data("Nobody asked the child"), b_data=_summary_data("The school was not told"),
        what="learning summary")
    assert LearningSummary.objects.get(pk=summary.pk).key_findings == "Nobody asked the child"


def test_a_stale_evaluation_of_use_is_refused(world, as_user):
    summary = f.summary(world)
    second_save_is_refused(
        a=as_user(world.manager), b=as_user(_performance_chair(world)),
        url=reverse("learning:summary_evaluate", args=[summary.pk]),
        a_data={"evaluation": "Used in every health visitor briefing"},
        b_data={"evaluation": "Not used yet"}, what="learning summary")
    assert LearningSummary.objects.get(pk=summary.pk).evaluation == "Used in every health visitor briefing"


def test_the_evaluation_form_starts_from_what_was_recorded(world, as_user):
    summary = f.summary(world)
    client = as_user(world.manager)
    url = reverse("learning:summary_evaluate", args=[summary.pk])
    client.post(url, {"evaluation": "Shared with schools", "version": summary.version})
    assert "Shared with schools</textarea>" in client.get(url).content.decode()


def test_a_stale_set_of_audit_answers_is_refused(world, as_user):
    audit = f.audit(world)
    case = audit.cases.first()
    first, second = audit.tool.questions.order_by("number")
    second_save_is_refused(
        a=as_user(world.author_a), b=as_user(world.lead_a),
        url=reverse("learning:audit_answers", args=[audit.pk, case.pk, world.agency_a.pk]),
        a_data={f"q{first.pk}_grade": "yes", f"q{second.pk}_grade": "good", f"q{first.pk}_comment": "Seen alone"},
        b_data={f"q{first.pk}_grade": "no", f"q{second.pk}_grade": "inadequate"}, what="set of answers")
    assert dict(AuditAnswer.objects.filter(case=case, agency=world.agency_a).values_list("question_id", "grade")) == {
        first.pk: "yes", second.pk: "good"}


def test_a_stale_edit_of_a_forum_topic_is_refused(world, as_user):
    forum = f.forum(world)
    themes = [t.pk for t in forum.themes.all()]
    second_save_is_refused(
        a=as_user(world.manager), b=as_user(_performance_chair(world)),
        url=reverse("learning:forum_edit", args=[forum.pk]),
        a_data={"title": "Hidden and unseen men", "origin": "national_guidance", "themes": themes},
        b_data={"title": "Fathers", "origin": "other", "themes": themes}, what="forum")
    saved = Forum.objects.get(pk=forum.pk)
    assert (saved.title, saved.origin) == ("Hidden and unseen men", "national_guidance")
    assert list(saved.themes.values_list("pk", flat=True)) == themes


def test_a_stale_save_of_a_forum_sessions_attendance_is_refused(world, as_user):
    from casereview.learning.forums import services as forums

    forum = f.forum(world)
    session = forums.forum_session_add(by=world.manager, forum=forum, held_on=date(2025, 2, 12), format="Online")
    second_save_is_refused(
        a=as_user(world.manager), b=as_user(_performance_chair(world)),
        url=reverse("learning:forum_attendance", args=[forum.pk, session.pk]),
        a_data={f"agency_{world.agency_a.pk}": "5", f"agency_{world.agency_b.pk}": "3"},
        b_data={f"agency_{world.agency_a.pk}": "1"}, what="attendance record")
    assert session.total_attendance() == 8
