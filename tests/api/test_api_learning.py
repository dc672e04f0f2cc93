"""The learning library through the API: the learning app's scope and its full-text search."""

from datetime import date

from casereview.reviews.models import Review
from tests.factories import CaseAgencyFactory, CaseFactory
from tests.learning import factories as f


def _library(world, *, approve_new=True):
    themes = f.themes(world)
    old = f.review(world, initiated_on=date(2021, 5, 1), type=Review.Type.SCR_TARGETED)
    f.finding(old, title="Missing episodes were treated as isolated events",
              narrative="Return home interviews did not consider the pattern of missing episodes.",
              themes=[themes["C5"]])
    f.finding(old, title="Safer sleep advice was not repeated",
              narrative="Advice about safe sleeping was given at birth only.", themes=[themes["C8"]])
    f.summary(world, rev=old)
    other_case = CaseFactory(board=world.board, reference="TEST-LIB-2")
    CaseAgencyFactory(case=other_case, agency=world.agency_b)
    new = f.review(world, case=other_case, initiated_on=date(2024, 2, 1))
    f.finding(new, title="Interpreters were not used", narrative="A sibling interpreted at missing-episode "
                                                                 "return interviews.", themes=[themes["A13"]])
    if approve_new:
        f.summary(world, rev=new)
    return themes


def _search(client, **query):
    response = client.get("/api/v1/learning/findings", query)
    assert response.status_code == 200, response.content
    return response.json()


def test_words_are_ranked_with_the_matching_passage(world, api_client):
    _library(world)
    body = _search(api_client(world.practitioner), q="missing episodes", kind="finding")
    titles = [item["title"] for item in body["items"]]
    assert titles[0] == "Missing episodes were treated as isolated events"
    assert "Interpreters were not used" in titles and body["all_words"] is True
    first = body["items"][0]
    assert "<mark>" not in first["passage"] and "missing episodes" in first["passage"].lower()
    assert {h.lower() for h in first["highlights"]} >= {"missing", "episodes"}
    assert first["themes"] == [{"code": "C5", "name": first["themes"][0]["name"]}]


def test_any_word_is_used_when_no_learning_has_them_all(world, api_client):
    _library(world)
    body = _search(api_client(world.manager), q="sleeping zeppelin", kind="finding")
    assert body["count"] == 1 and body["all_words"] is False


def test_filters_theme_year_type_agency_and_kind(world, api_client):
    _library(world)
    client = api_client(world.manager)
    assert [i["title"] for i in _search(client, theme="c5", kind="finding")["items"]] == [
        "Missing episodes were treated as isolated events"]
    assert {i["title"] for i in _search(client, theme="C", kind="finding")["items"]} == {
        "Missing episodes were treated as isolated events", "Safer sleep advice was not repeated"}
    assert {i["year"] for i in _search(client, year=2021)["items"]} == {2021}
    assert _search(client, year=1999)["count"] == 0
    assert {i["review_type"] for i in _search(client, review_type="scr_targeted")["items"]} == {"scr_targeted"}
    assert {i["kind"] for i in _search(client, kind="summary")["items"]} == {"summary"}
    assert all("THLT" in i["agencies"] for i in _search(client, agency="thlt")["items"])


def test_unknown_theme_or_agency_names_the_field(world, api_client):
    client = api_client(world.manager)
    response = client.get("/api/v1/learning/findings", {"theme": "Z99"})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "theme", "message": "There is no theme with the code Z99"}]
    assert client.get("/api/v1/learning/findings", {"agency": "NOPE"}).json()["errors"][0]["field"] == "agency"
    assert client.get("/api/v1/learning/findings", {"kind": "rumour"}).json()["errors"][0]["field"] == "kind"


def test_unapproved_findings_stay_with_those_who_may_see_their_case(world, api_client):
    _library(world, approve_new=False)
    # Agency B is involved in the second case; agency A's author is not.
    seen_by_b = _search(api_client(world.author_b), q="interpreters")
    seen_by_a = _search(api_client(world.author_a), q="interpreters")
    assert seen_by_b["count"] == 1 and seen_by_a["count"] == 0


def test_another_board_never_sees_our_learning(world, api_client):
    _library(world)
    assert _search(api_client(world.outsider), q="missing")["count"] == 0
    assert _search(api_client(world.outsider))["count"] == 0


def test_without_words_the_newest_learning_comes_first_in_pages(world, api_client):
    _library(world)
    client = api_client(world.manager)
    everything = _search(client, limit=200)
    assert everything["count"] == len(everything["items"]) > 2
    dates = [i["learned_on"] for i in everything["items"] if i["learned_on"]]
    assert dates == sorted(dates, reverse=True)
    page = _search(client, limit=2, offset=1)
    assert [i["id"] for i in page["items"]] == [i["id"] for i in everything["items"][1:3]]
    assert _search(client, q="missing", offset=10**12)["items"] == []
