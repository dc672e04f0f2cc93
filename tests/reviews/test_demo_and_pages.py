"""The reviews demo: idempotent, one review at each stage, and every page of each renders for the demo people."""

import pytest
from django.urls import reverse

from casereview.core.management.commands.load_demo import AGENCIES, PEOPLE
from casereview.partnership.models import Agency, Board, RoleGrant, User
from casereview.reviews import demo, selectors
from casereview.reviews.models import (
    CaseGroupComment,
    Finding,
    Milestone,
    ReportVersion,
    Review,
    ReviewMember,
)

PAGES = ["detail", "setup", "stages", "people", "case_group", "family", "timescale", "requests", "findings",
         "report", "publication"]


@pytest.fixture
def riverside(db):
    board = Board.objects.create(name="Riverside Safeguarding Children Board", slug="riverside")
    agencies = {code: Agency.objects.create(board=board, name=name, short_code=code, type=kind)
                for name, code, kind in AGENCIES}
    people = {}
    for username, first, last, title, code, roles in PEOPLE:
        user = User.objects.create(username=username, first_name=first, last_name=last, job_title=title,
                                   email=f"{username}@riverside.example", board=board, agency=agencies.get(code))
        for role in roles:
            RoleGrant.objects.create(user=user, role=role)
        people[username] = user
    demo.load(board=board, people=people, agencies=agencies)
    return board, people, agencies


def _counts():
    return [m.objects.count() for m in (Review, Milestone, ReviewMember, Finding, ReportVersion, CaseGroupComment)]


def test_loading_the_demo_twice_changes_nothing(riverside):
    board, people, agencies = riverside
    before = _counts()
    demo.load(board=board, people=people, agencies=agencies)
    assert _counts() == before


def test_there_is_a_review_at_each_stage(riverside):
    board, *_ = riverside
    states = dict(Review.objects.filter(board=board).values_list("reference", "status"))
    assert states == {"DEMO-1": "analysis", "DEMO-2": "initiated", "DEMO-3": "report_qa", "DEMO-4": "published"}
    demo1 = Review.objects.get(reference="DEMO-1")
    assert selectors.review_timescale(demo1, demo1.initiated_on).open_pause is not None


def test_demo_3s_publication_check_finds_the_childs_name(riverside):
    version = Review.objects.get(reference="DEMO-3").report_versions.get()
    found = [(hit.kind, hit.matched_text) for hit in selectors.version_check(version).open_hits]
    assert ("name", "Maisie") in found and ("name", "Maisie's") in found and ("name", "Masie") in found
    assert ("postcode", "RV3 4ZZ") in found


@pytest.mark.parametrize("username", ["manager", "reviewer", "chair", "scr-chair"])
def test_every_page_of_every_demo_review_renders_for_the_demo_people(riverside, as_user, username):
    board, people, _ = riverside
    client = as_user(people[username])
    for review in selectors.reviews_visible_to(people[username]):
        for page in PAGES:
            response = client.get(reverse(f"reviews:{page}", args=[review.pk]))
            assert response.status_code == 200, (review.reference, page, response.status_code)
        for version in review.report_versions.all():
            assert client.get(reverse("reviews:version", args=[review.pk, version.pk])).status_code == 200
    assert client.get(reverse("reviews:list")).status_code == 200
    assert client.get(reverse("home")).status_code == 200


def test_the_demo_practitioner_is_asked_to_comment_on_demo_1s_findings(riverside, as_user):
    _, people, _ = riverside
    client = as_user(people["practitioner"])
    review = Review.objects.get(reference="DEMO-1")
    home = client.get(reverse("home")).content.decode()
    assert "Draft findings for your comments" in home
    page = client.get(reverse("reviews:consultation", args=[review.pk])).content.decode()
    assert "The mother&#x27;s partner was not included in assessments" in page


def test_the_public_page_lists_demo_4(riverside, client):
    page = client.get(reverse("reviews:public_list", args=["riverside"])).content.decode()
    assert "Child L" in page and "Download the report" in page and "Child M" not in page
