from datetime import date

from django.db import transaction
from django.urls import reverse

from casereview.learning import hooks, library, search
from casereview.learning.models import LibraryEntry
from casereview.reviews.models import Review
from tests.factories import CaseAgencyFactory, CaseFactory

from . import factories as f


def _library(world):
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
    f.summary(world, rev=new)
    return themes


def test_search_ranks_and_shows_the_matching_passage(world, as_user):
    _library(world)
    page = as_user(world.practitioner).get(reverse("learning:library"), {"q": "missing episodes"}).content.decode()
    assert "results for “missing episodes”" in page
    first = page.index("Missing episodes were treated as isolated events")
    assert first < page.index("Interpreters were not used")
    assert "<mark>missing</mark> <mark>episodes</mark>" in page


def test_stemming_phrases_and_any_word_fallback(world):
    _library(world)
    entries = LibraryEntry.objects.filter(board=world.board)
    assert search.search_entries(entries, "considered pattern").total >= 1  # porter: considered ~ consider
    findings = entries.filter(kind="finding")
    assert search.search_entries(findings, '"safe sleeping"').total == 1
    assert search.search_entries(findings, '"sleeping safe"').total == 0
    fallback = search.search_entries(findings, "sleeping zeppelin")
    assert fallback.total == 1 and not fallback.all_words


def test_nothing_typed_is_query_syntax(world, as_user):
    _library(world)
    client = as_user(world.manager)
    for query in ['"unbalanced', "AND OR NOT", "title:missing", "*", "NEAR(", "sleep)", "'; DROP TABLE x;--"]:
        assert client.get(reverse("learning:library"), {"q": query}).status_code == 200


def test_filters_theme_agency_type_and_year(world, as_user):
    themes = _library(world)
    client = as_user(world.manager)
    page = client.get(reverse("learning:library"), {"theme": themes["C"].pk}).content.decode()
    assert "Missing episodes were treated" in page and "Interpreters were not used" not in page
    page = client.get(reverse("learning:library"), {"agency": world.agency_b.pk}).content.decode()
    assert "Interpreters were not used" in page and "Safer sleep advice" not in page
    page = client.get(reverse("learning:library"), {"review_type": "scr_targeted", "q": "advice",
                                                          "kind": "finding"}).content.decode()
    assert "Safer sleep advice" in page and "1 result for" in page
    page = client.get(reverse("learning:library"), {"year": 2024}).content.decode()
    assert "Interpreters were not used" in page and "Safer sleep" not in page


def test_library_is_scoped_to_the_board_and_the_case(world, as_user):
    themes = f.themes(world)
    draft_review = f.review(world)
    f.finding(draft_review, title="Hidden learning from an open review", themes=[themes["A1"]])
    assert "Hidden learning" in as_user(world.reviewer).get(reverse("learning:library")).content.decode()
    assert "Hidden learning" not in as_user(world.practitioner).get(reverse("learning:library")).content.decode()
    assert "Hidden learning" not in as_user(world.outsider).get(reverse("learning:library"),
                                                                  {"q": "hidden"}).content.decode()
    f.summary(world, rev=draft_review)
    assert "Hidden learning" in as_user(world.practitioner).get(reverse("learning:library")).content.decode()


def test_index_follows_findings_through_the_reviews_hook_and_can_be_rebuilt(world):
    rev = f.review(world)
    finding = f.finding(rev, title="Original title")
    entries = LibraryEntry.objects.filter(board=world.board)
    assert search.search_entries(entries, "original").total == 1
    finding.title = "Changed heading"
    finding.save()
    # A plain save changes nothing: the reviews app's services call the "finding saved" hook, the one mechanism.
    assert search.search_entries(entries, "original").total == 1
    with transaction.atomic():
        hooks.finding_saved(by=world.manager, finding=finding)
    assert search.search_entries(entries, "original").total == 0
    assert search.search_entries(entries, "changed").total == 1
    finding.delete()
    f.finding(rev, title="Rebuilt entry")
    assert library.reindex(world.board) == 1
    assert search.search_entries(entries, "changed").total == 0
    assert search.search_entries(entries, "rebuilt").total == 1
