from datetime import date

from django.core.management import call_command
from django.urls import reverse

from casereview.learning import selectors, services
from casereview.learning.models import SustainQuestion

from . import factories as f


def test_a_repeat_is_found_with_its_evidence_and_raises_one_question(world):
    question = f.question(world)
    assert question is not None and question.state == "open"
    match = question.matches.get()
    assert "A1 Information sharing" in match.shared_themes
    assert any("domestic abuse incidents" in p.lower() for p in match.shared_phrases)
    assert match.earlier_on == date(2019, 1, 1)
    assert question.committee == world.committee
    again = services.recurring_record(by=world.manager, finding=question.finding)
    assert again.pk == question.pk and again.matches.count() == 1
    assert list(selectors.open_sustain_questions(board=world.board)) == [question]


def test_unrelated_or_later_learning_is_not_a_repeat(world):
    themes = f.themes(world)
    earlier = f.review(world, initiated_on=date(2020, 1, 1))
    f.finding(earlier, title="Safer sleep advice was not repeated", narrative="Advice was given at birth only.",
              themes=[themes["C8"]])
    later = f.review(world, initiated_on=date(2023, 1, 1))
    finding = f.finding(later, title="Interpreters were not used", narrative="A sibling interpreted.",
                        themes=[themes["A13"]])
    assert services.recurring_check(finding) == []
    # The earlier review's finding is not repeated by what came after it.
    same = f.finding(later, title="Safer sleep advice was not repeated", narrative="Advice was given at birth only.",
                     themes=[themes["C8"]])
    assert services.recurring_check(same)
    assert services.recurring_check(earlier.findings.get()) == []


def test_committee_answers_and_the_question_closes(world, as_user):
    question = f.question(world)
    page = as_user(world.practitioner).get(reverse("learning:question_detail", args=[question.pk])).content.decode()
    assert "Why was this learning not sustained?" in page and "Shared themes" in page
    assert "Record the answer" not in page
    client = as_user(world.manager)
    url = reverse("learning:question_answer", args=[question.pk])
    assert "Enter the committee" in client.post(url, {"answer": ""}).content.decode()
    response = client.post(url, {"answer": "The notification process lapsed when staff changed."}, follow=True)
    assert "Answer recorded" in response.content.decode()
    assert SustainQuestion.objects.get(pk=question.pk).state == "answered"
    assert as_user(world.practitioner).post(url, {"answer": "x"}).status_code == 403


def test_checking_every_finding_from_the_page_and_the_command(world, as_user, capsys):
    f.question(world)
    SustainQuestion.objects.all().delete()
    response = as_user(world.manager).post(reverse("learning:recurring_scan"), follow=True)
    assert "1 question open for the Performance Committee" in response.content.decode()
    call_command("recurring_check", "--board", "testshire")
    assert "1 open recurring-learning questions" in capsys.readouterr().out


def test_home_panel_lists_only_questions_of_reviews_the_person_can_see(world):
    from casereview.learning.panels import learning_panel
    from casereview.partnership.roles import Role
    from tests.factories import UserFactory

    theme = f.themes(world)["A1"]
    earlier = f.review(world, initiated_on=date(2019, 1, 1))
    f.finding(earlier, title="Police did not share domestic abuse incidents with the school",
              narrative="The school was not told about domestic abuse incidents attended by police.", themes=[theme])
    later = f.review(world, initiated_on=date(2024, 1, 1))  # no approved summary: its findings stay with the case
    repeat = f.finding(later, title="The school was not told about domestic abuse incidents",
                       narrative="Police attended domestic abuse incidents but did not share them with the school.",
                       themes=[theme])
    question = services.recurring_record(by=world.manager, finding=repeat)
    assert question is not None
    member = UserFactory(board=world.board, username="perf-member", roles=[Role.PERFORMANCE_MEMBER])
    shown = learning_panel(member)
    assert shown is None or all(later.reference not in row["cells"][0] for row in shown["rows"])
    assert any(later.reference in row["cells"][0] for row in learning_panel(world.manager)["rows"])
