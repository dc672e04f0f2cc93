"""Pseudonyms are unique within a board; the cases list filters; the header search finds only what may be seen."""

from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.cases.models import CasePerson
from tests.factories import CaseAgencyFactory, CaseFactory


def test_three_children_with_the_same_initial_get_three_pseudonyms(world):
    first = CaseFactory(board=world.board, reference="TEST-0101", pseudonym="Child E")
    second = CaseFactory(board=world.board, reference="TEST-0102", pseudonym="Child E")
    third = CaseFactory(board=world.board, reference="TEST-0103", pseudonym="child e")
    elsewhere = CaseFactory(board=world.other_board, reference="ELS-0001", pseudonym="Child E")
    assert [first.pseudonym, second.pseudonym, third.pseudonym] == ["Child E", "Child E2", "child e3"]
    assert elsewhere.pseudonym == "Child E", "another board's pseudonyms are its own"


def test_the_business_manager_changes_a_pseudonym_and_a_clash_is_refused(world, as_user):
    CaseFactory(board=world.board, reference="TEST-0201", pseudonym="Child M")
    CasePerson.objects.create(case=world.case, relationship=CasePerson.Relationship.SUBJECT_CHILD,
                              full_name="Quinn Demoson", anonymised_label="Child Q")
    client = as_user(world.manager)
    url = reverse("cases:pseudonym", args=[world.case.pk])
    refused = client.post(url, {"pseudonym": "child m"})
    assert refused.status_code == 200 and "Another case of the board is already called child m" in refused.text
    assert "for example child m2" in refused.text
    world.case.refresh_from_db()
    assert world.case.pseudonym == "Child Q"

    response = client.post(url, {"pseudonym": "Child R"})
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.pseudonym == "Child R"
    assert world.case.people.get().anonymised_label == "Child R"
    event = AuditEvent.objects.get(action="case.pseudonym_changed")
    assert event.detail == {"from": "Child Q", "to": "Child R"} and "Quinn" not in event.object_label
    assert "Change the pseudonym" in client.get(reverse("cases:detail", args=[world.case.pk])).text
    assert "Change the pseudonym" not in as_user(world.chair).get(
        reverse("cases:detail", args=[world.case.pk])).text


def test_the_cases_list_filters_by_text_agency_and_year(world, as_user):
    other = CaseFactory(board=world.board, reference="TEST-0301", pseudonym="Child Z")
    CaseAgencyFactory(case=other, agency=world.agency_b)
    client = as_user(world.manager)
    by_text = client.get(reverse("cases:list"), {"q": "child z"}).text
    assert "TEST-0301" in by_text and "TEST-0001" not in by_text and "1 case matches the filters" in by_text
    by_agency = client.get(reverse("cases:list"), {"agency": world.agency_a.pk}).text
    assert "TEST-0001" in by_agency and "TEST-0301" not in by_agency
    none = client.get(reverse("cases:list"), {"q": "nothing-like-this"}).text
    assert "No cases match these filters." in none and "Clear filters" in none
    # An agency of another board is not a valid choice: the filter is ignored, never a leak.
    foreign = client.get(reverse("cases:list"), {"agency": world.other_agency.pk})
    assert foreign.status_code == 200 and "Elsewhere Police" not in foreign.text


def test_search_finds_cases_and_agencies_of_the_persons_board_only(world, as_user):
    CaseFactory(board=world.other_board, reference="TEST-9999", pseudonym="Child Q")
    client = as_user(world.manager)
    html = client.get(reverse("search"), {"q": "TEST-"}).text
    assert "TEST-0001 (Child Q)" in html and "TEST-9999" not in html
    assert "1 result for" in html
    by_pseudonym = client.get(reverse("search"), {"q": "child q"}).text
    assert "TEST-0001" in by_pseudonym and "TEST-9999" not in by_pseudonym
    agencies = client.get(reverse("search"), {"q": "police"}).text
    assert "Testshire Police (TPOL)" in agencies and "Elsewhere Police" not in agencies
    outsider = as_user(world.outsider).get(reverse("search"), {"q": "TEST-0001"}).text
    assert "TEST-0001 (Child Q)" not in outsider and "0 results for" in outsider
    event = AuditEvent.objects.filter(action="search.made").latest("pk")
    assert event.detail == {"results": 0}


def test_the_search_box_is_offered_to_board_wide_roles_only(world, as_user):
    assert 'id="header-search"' in as_user(world.manager).get(reverse("home")).text
    assert 'id="header-search"' not in as_user(world.author_a).get(reverse("home")).text
    assert as_user(world.author_a).get(reverse("search"), {"q": "TEST"}).status_code == 403
