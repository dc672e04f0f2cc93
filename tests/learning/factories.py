"""Learning test records built on the shared `world` (tests/conftest.py). Everything is fictional."""

import itertools
from datetime import date

from casereview.learning import services
from casereview.learning.audits import services as audits
from casereview.learning.forums import services as forums
from casereview.learning.models import Audit, Forum, LearningSummary
from casereview.reviews import services as review_services
from casereview.reviews.models import Finding, Review
from casereview.typology.models import Theme
from casereview.typology.services import typology_seed_default
from tests.factories import review_in

_refs = itertools.count(1)


def review(world, *, case=None, type=Review.Type.CIR, initiated_on=date(2025, 4, 1), status="published"):
    """A review in `status`, through the review services (`tests.factories.review_in`)."""
    return review_in(world, status, type=type, case=case, initiated_on=initiated_on, reference=f"T-{next(_refs)}")


def finding(rev, *, kind=Finding.Kind.IMPROVEMENT, title="Information was not shared",
            narrative="Police did not tell the school about domestic abuse incidents.", themes=()):
    """The review's next finding, through the reviews' service (whose hook puts it in the learning library)."""
    return review_services.finding_save(by=rev.created_by, review=rev, kind=kind, title=title, narrative=narrative,
                                        themes=themes)


def themes(world, board=None) -> dict[str, Theme]:
    board = board or world.board
    typology_seed_default(board)
    return {t.code: t for t in Theme.objects.filter(board=board)}


def summary(world, *, approved=True, rev=None):
    rev = rev or review(world)
    if not rev.findings.exists():
        finding(rev, themes=[themes(world)["A1"]])
    made = services.summary_draft(by=world.manager, review=rev)
    services.summary_update(by=world.manager, summary=made, themes=made.themes.all(), completed_on=date(2025, 10, 1),
                            case_summary="A young person harmed at home; three agencies were involved.")
    made = LearningSummary.objects.get(pk=made.pk)
    if approved:
        services.summary_approve(by=world.manager, summary=made)
        made = LearningSummary.objects.get(pk=made.pk)
    return made


def forum(world):
    made = forums.forum_save(by=world.manager, forum=Forum(board=world.board), themes=[themes(world)["A10"]],
                             title="Hidden men", origin=Forum.Origin.NATIONAL_GUIDANCE)
    return made


def tool(world, questions=(("Was the child seen alone?", "yes_no"), ("Is the record good?", "ofsted"))):
    made = audits.audit_tool_create(by=world.manager, board=world.board, name=f"Tool {next(_refs)}")
    for text, scale in questions:
        audits.audit_question_add(by=world.manager, tool=made, text=text, scale=scale)
    return made


def audit(world, *, start=True, sample=2, audit_tool=None):
    made = audits.audit_create(by=world.manager, board=world.board, tool=audit_tool or tool(world),
                               title="Voice of the child", kind=Audit.Kind.MULTI_AGENCY,
                               agencies=[world.agency_a, world.agency_b], themes=[], audited_on=date(2025, 3, 1),
                               sample_size=sample)
    if start:
        audits.audit_start(by=world.manager, audit=made)
    return Audit.objects.get(pk=made.pk)


def question(world):
    earlier = review(world, initiated_on=date(2019, 1, 1))
    theme = themes(world)["A1"]
    finding(earlier, title="Police did not share domestic abuse incidents with the school",
            narrative="The school was not told about domestic abuse incidents attended by police.", themes=[theme])
    later = review(world, initiated_on=date(2024, 1, 1))
    repeat = finding(later, title="The school was not told about domestic abuse incidents",
                     narrative="Police attended domestic abuse incidents but did not share them with the school.",
                     themes=[theme])
    summary(world, rev=later)
    return services.recurring_record(by=world.manager, finding=repeat)
