from datetime import date

from django.urls import reverse

from casereview.learning.audits import selectors, services
from casereview.learning.models import Audit, AuditAnswer, LibraryEntry

from . import factories as f


def _answer(audit, world, grades):
    questions = list(audit.tool.questions.all())
    for case, case_grades in zip(audit.cases.all(), grades, strict=True):
        services.audit_answers_save(by=world.manager, case=case, agency=world.agency_a,
                                    answers={q: (g, "") for q, g in zip(questions, case_grades, strict=True)})


def test_results_are_percent_meeting_the_standard_and_reaudit_compares(world):
    audit = f.audit(world, sample=4)
    _answer(audit, world, [("yes", "good"), ("no", "inadequate"), ("partly", "outstanding"), ("na", "good")])
    results = selectors.audit_results(audit)
    assert [(r.answered, r.meeting, r.not_applicable, r.percent) for r in results] == [
        (3, 1, 1, 33.3), (4, 3, 0, 75.0)]
    services.audit_complete(by=world.manager, audit=audit)
    again = services.audit_reaudit(by=world.manager, audit=Audit.objects.get(pk=audit.pk), audited_on=date(2025, 9, 1))
    assert again.cases.count() == 4 and set(again.agencies.all()) == {world.agency_a, world.agency_b}
    services.audit_start(by=world.manager, audit=again)
    _answer(Audit.objects.get(pk=again.pk), world,
            [("yes", "good"), ("yes", "good"), ("yes", "requires_improvement"), ("no", "good")])
    results = selectors.audit_results(again)
    assert (results[0].percent, results[0].previous_percent, results[0].change) == (75.0, 33.3, 41.7)
    assert (results[1].percent, results[1].change) == (75.0, 0.0)


def test_reaudit_and_answers_are_refused_at_the_wrong_time(world):
    audit = f.audit(world, start=False)
    for call, message in [
        (lambda: services.audit_reaudit(by=world.manager, audit=audit, audited_on=date(2026, 1, 1)),
         "Complete the audit"),
        (lambda: services.audit_answers_save(by=world.manager, case=audit.cases.first(), agency=world.agency_a,
                                             answers={}), "only while the audit is in progress"),
        (lambda: services.audit_complete(by=world.manager, audit=audit), "Only an audit in progress"),
    ]:
        try:
            call()
        except services.LearningError as error:
            assert message in str(error)
        else:
            raise AssertionError("not refused")


def test_agency_author_answers_for_their_own_agency_only(world, as_user):
    audit = f.audit(world)
    case = audit.cases.first()
    client = as_user(world.author_a)
    own = reverse("learning:audit_answers", args=[audit.pk, case.pk, world.agency_a.pk])
    other = reverse("learning:audit_answers", args=[audit.pk, case.pk, world.agency_b.pk])
    assert client.get(other).status_code == 403
    page = client.post(own, {}).content.decode()
    assert "Select a grade for question 1" in page
    q1, q2 = audit.tool.questions.all()
    response = client.post(own, {f"q{q1.pk}_grade": "yes", f"q{q2.pk}_grade": "good",
                                 f"q{q1.pk}_comment": "Seen alone twice"}, follow=True)
    assert "Answers for Case 01 from Testshire Police saved" in response.content.decode()
    assert AuditAnswer.objects.filter(case=case, agency=world.agency_a).count() == 2
    page = client.get(reverse("learning:audit_detail", args=[audit.pk])).content.decode()
    assert "100.0%" in page and "<svg" in page


def test_audit_tool_and_audit_in_the_browser(world, as_user):
    themes = f.themes(world)
    client = as_user(world.manager)
    client.post(reverse("learning:tool_create"), {"name": "Neglect audit"})
    tool = world.board.audit_tools.get(name="Neglect audit")
    page = client.post(reverse("learning:tool_question_add", args=[tool.pk]),
                       {"text": "Was a tool used?"}).content.decode()
    assert "Select grading scale" in page
    client.post(reverse("learning:tool_question_add", args=[tool.pk]), {"text": "Was a tool used?", "scale": "rag"})
    data = {"title": "Neglect", "tool": tool.pk, "kind": "single_agency",
            "agencies": [world.agency_a.pk, world.agency_b.pk], "themes": [themes["C1"].pk], "audited_on_0": "1",
            "audited_on_1": "6", "audited_on_2": "2025", "sample_size": "3"}
    page = client.post(reverse("learning:audit_create"), data).content.decode()
    assert "A single-agency audit needs exactly one agency" in page
    data["agencies"] = [world.agency_a.pk]
    response = client.post(reverse("learning:audit_create"), data, follow=True)
    assert "Audit planned with 3 cases in the sample" in response.content.decode()
    audit = world.board.audits.get()
    assert [c.pseudonym for c in audit.cases.all()] == ["Case 01", "Case 02", "Case 03"]
    client.post(reverse("learning:audit_finding_add", args=[audit.pk]), {
        "improvement": "yes", "text": "No neglect tool was used in two of three cases."})
    entry = LibraryEntry.objects.get(kind="audit_finding")
    assert list(entry.agencies.all()) == [world.agency_a] and list(entry.themes.all()) == [themes["C1"]]
    response = client.post(reverse("learning:audit_plan", args=[audit.pk]))
    assert response.status_code == 302 and "/actions/plans/" in response.url
