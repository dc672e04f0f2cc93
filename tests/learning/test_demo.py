from casereview.learning import demo
from casereview.learning.models import Audit, Forum, LearningSummary, LibraryEntry, SustainQuestion, Theme
from casereview.partnership.roles import Role
from tests.factories import AgencyFactory, BoardFactory, UserFactory

CODES = ["CSC", "POL", "GP", "HV", "MW", "ED", "SCH", "HSG", "PRB", "AMB"]


def _counts(board):
    return (Theme.objects.filter(board=board).count(), LibraryEntry.objects.filter(board=board).count(),
            LearningSummary.objects.filter(board=board).count(), SustainQuestion.objects.filter(board=board).count(),
            Forum.objects.filter(board=board).count(), Audit.objects.filter(board=board).count())


def test_demo_learning_loads_once(db):
    board = BoardFactory(slug="demo-riverside")
    agencies = {c: AgencyFactory(board=board, short_code=c, name=f"Demo {c}") for c in CODES}
    people = {"manager": UserFactory(board=board, roles=[Role.BUSINESS_MANAGER]),
              "chair": UserFactory(board=board, roles=[Role.INDEPENDENT_CHAIR])}
    demo.load(board=board, people=people, agencies=agencies)
    first = _counts(board)
    demo.load(board=board, people=people, agencies=agencies)
    assert _counts(board) == first
    themes, entries, summaries, questions, forums, audits = first
    assert entries >= 30 and summaries == 6 and forums == 1 and audits == 2
    question = SustainQuestion.objects.get(board=board)
    assert question.state == "open" and question.finding.review.reference == "PAST-2024"
    assert question.matches.get().earlier_source == "PAST-2019"
    reaudit = Audit.objects.get(board=board, previous__isnull=False)
    assert reaudit.state == "complete" and reaudit.previous.state == "complete"


def test_the_demos_past_reviews_are_recorded_through_the_review_services_on_their_own_days(db):
    from datetime import date

    from casereview.audit.models import AuditEvent
    from casereview.reviews.models import Review

    board = BoardFactory(slug="demo-riverside")
    agencies = {c: AgencyFactory(board=board, short_code=c, name=f"Demo {c}") for c in CODES}
    people = {"manager": UserFactory(board=board, roles=[Role.BUSINESS_MANAGER]),
              "chair": UserFactory(board=board, roles=[Role.INDEPENDENT_CHAIR])}
    demo.load(board=board, people=people, agencies=agencies)

    past = Review.objects.get(board=board, reference="PAST-2022")
    assert past.status == Review.Status.PUBLISHED
    assert past.approved_on == past.published_on == date(2022, 10, 14)
    assert past.findings.count() == 4 and past.recommendations.count() == 1
    assert not past.milestones.filter(completed_on__isnull=True).exists()
    recorded = AuditEvent.objects.filter(action="review.recorded_completed", board_id=board.pk)
    assert recorded.count() == 6 and all(e.detail["recorded_after_the_event"] for e in recorded)

