"""The merged chronology: order, filters kept in the URL, keyset paging, named/anonymised, the child's age,
review group working (flags, tags, comments, saved views), analysis, the timeline and exports."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casereview.audit.models import AuditEvent
from casereview.chronology import selectors
from casereview.chronology.models import ChronologyEntry, SavedView
from tests.chronology.helpers import accepted_chronology, make_review

pytestmark = pytest.mark.django_db

POLICE = [
    ["12/03/2014", "14:30", "Yvonne said Zara had a fall at home", "Police log", "Officer attended", "Incident",
     "Child Q, Mother", "Injury", "Told Testshire Health", "", "Y"],
    ["March 2014", "", "Zara's attendance fell", "Police log", "", "Contact", "Child Q", "", "", "", "N"],
    ["01/09/2015", "09:00", "=HYPERLINK(\"http://evil.example\") typed by mistake", "Police log", "", "Contact",
     "", "", "", "", ""],
]
HEALTH = [
    ["13/03/2014", "", "Yvonne said Zara had a fall at home and hurt her arm", "ED notes", "X-ray", "Health appointment",
     "Child Q", "", "", "", ""],
    ["2014", "", "Health visitor saw the family during the year", "HV notes", "", "Home visit", "", "", "", "", ""],
]


@pytest.fixture
def merged(world, tmp_path):
    from casereview.cases.models import CaseAgency

    review = make_review(world)
    CaseAgency.objects.create(case=world.case, agency=world.agency_b)
    accepted_chronology(world, review, world.agency_a, POLICE, tmp_path, name="pol.csv")
    accepted_chronology(world, review, world.agency_b, HEALTH, tmp_path, name="hlt.csv")
    return review


def refs(page: str) -> list[str]:
    return re.findall(r"Ref (T[A-Z]+-\d+)", page)


def test_order_agency_labels_and_child_age(world, as_user, merged):
    page = as_user(world.reviewer).get(reverse("chronology:merged", args=[merged.pk])).content.decode()
    # Year before month before days; then time; then agency.
    assert refs(page) == ["THLT-0003", "TPOL-0003", "TPOL-0002", "THLT-0002", "TPOL-0004"]
    assert 'class="cr-agency cr-agency--' in page and ">TPOL</strong>" in page  # colour plus text
    assert "Age: 9 months" in page  # born 1 June 2013, event 12 March 2014
    assert "Age: about 9 months" in page  # March 2014, month precision
    assert "Age: about 7 months" in page  # the year 2014 counts from its first day
    assert "5 entries" in page


def test_filters_combine_and_stay_in_the_url(world, as_user, merged):
    client = as_user(world.reviewer)
    url = reverse("chronology:merged", args=[merged.pk])
    page = client.get(url, {"agency": world.agency_a.pk, "date_from": "March 2014", "date_to": "2014"}).content.decode()
    assert refs(page) == ["TPOL-0003", "TPOL-0002"]
    assert f"agency={world.agency_a.pk}&amp;date_from=March+2014" in page  # export and timeline links keep them
    page = client.get(url, {"q": "fall home"}).content.decode()
    assert refs(page) == ["TPOL-0002", "THLT-0002"]
    page = client.get(url, {"marked": "kpe"}).content.decode()
    assert refs(page) == ["TPOL-0002"]
    page = client.get(url, {"event_type": "contact", "person": world.case.people.get(anonymised_label="Child Q").pk}
                      ).content.decode()
    assert refs(page) == ["TPOL-0003"]
    page = client.get(url, {"date_from": "someday"}).content.decode()
    assert "There is a problem" in page and "&#x27;someday&#x27; is not a date" in page


def test_keyset_paging_walks_forward_and_back(merged):
    entries = selectors.merged_entries(merged, selectors.Filters())
    first = selectors.page_of(entries, size=2)
    assert [e.event_ref for e in first.entries] == ["THLT-0003", "TPOL-0003"] and first.prev_key is None
    second = selectors.page_of(entries, after=first.next_key, size=2)
    assert [e.event_ref for e in second.entries] == ["TPOL-0002", "THLT-0002"]
    third = selectors.page_of(entries, after=second.next_key, size=2)
    assert [e.event_ref for e in third.entries] == ["TPOL-0004"] and third.next_key is None
    back = selectors.page_of(entries, before=third.prev_key, size=2)
    assert [e.event_ref for e in back.entries] == ["TPOL-0002", "THLT-0002"]
    assert selectors.page_of(entries, after="nonsense", size=2).entries == first.entries


def test_anonymised_switch(world, as_user, merged):
    client = as_user(world.chair)
    url = reverse("chronology:merged", args=[merged.pk])
    named = client.get(url).content.decode()
    assert "Yvonne said Zara had a fall" in named and "Zara Fictionperson" in named
    anonymised = client.get(url, {"names": "anonymised"}).content.decode()
    assert "Yvonne" not in anonymised and "Zara" not in anonymised
    assert "Mother said Child Q had a fall" in anonymised and "Child Q&#x27;s attendance fell" in anonymised


def test_duplicates_are_suggested_then_confirmed_by_people_and_grouped_not_deleted(world, as_user, merged):
    client = as_user(world.reviewer)
    analysis_url = reverse("chronology:analysis", args=[merged.pk])
    page = client.get(analysis_url).content.decode()
    # Suggested, not grouped, until someone decides.
    assert "TPOL and THLT: Similar words" in page or "THLT and TPOL: Similar words" in page
    assert ">D1<span" not in client.get(reverse("chronology:merged", args=[merged.pk])).content.decode()
    police = ChronologyEntry.objects.get(review=merged, current_accepted=True, event_ref="TPOL-0002")
    health = ChronologyEntry.objects.get(review=merged, current_accepted=True, event_ref="THLT-0002")
    response = client.post(reverse("chronology:duplicate_decide", args=[merged.pk]),
                           {"a": police.pk, "b": health.pk, "decision": "confirmed"})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="chronology.duplicate_confirmed", actor_id=world.reviewer.pk).exists()
    page = client.get(reverse("chronology:merged", args=[merged.pk])).content.decode()
    assert page.count(">D1<span") == 2
    group = ChronologyEntry.objects.filter(review=merged, current_accepted=True, duplicate_group=1)
    assert sorted(group.values_list("event_ref", flat=True)) == ["THLT-0002", "TPOL-0002"]
    analysis = client.get(analysis_url).content.decode()
    assert "Group D1: 2 entries" in analysis and "No pairs waiting for a decision" in analysis
    # Which agencies knew of the key practice episode: both recorded it.
    assert re.search(r"TPOL TPOL-0002</a>.*?<td class=\"govuk-table__cell\">THLT, TPOL</td>", analysis, re.S)
    # Deciding the same pair twice is refused with who decided it.
    client.post(reverse("chronology:duplicate_decide", args=[merged.pk]),
                {"a": health.pk, "b": police.pk, "decision": "dismissed"})
    page = client.get(analysis_url).content.decode()
    assert "were already marked as the same event by" in page


def test_a_dismissed_pair_is_never_suggested_again(world, as_user, merged):
    from casereview.chronology import analysis

    client = as_user(world.reviewer)
    (suggestion,) = analysis.suggested_duplicates(merged)
    client.post(reverse("chronology:duplicate_decide", args=[merged.pk]),
                {"a": suggestion.a.id, "b": suggestion.b.id, "decision": "dismissed"})
    assert analysis.suggested_duplicates(merged) == []
    assert AuditEvent.objects.filter(action="chronology.duplicate_dismissed").exists()
    assert not ChronologyEntry.objects.filter(review=merged, duplicate_group__isnull=False).exists()


def test_an_agency_author_cannot_decide_duplicates(world, as_user, merged):
    police = ChronologyEntry.objects.get(review=merged, current_accepted=True, event_ref="TPOL-0002")
    health = ChronologyEntry.objects.get(review=merged, current_accepted=True, event_ref="THLT-0002")
    response = as_user(world.author_a).post(reverse("chronology:duplicate_decide", args=[merged.pk]),
                                            {"a": police.pk, "b": health.pk, "decision": "confirmed"})
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="chronology.duplicate_confirmed").exists()


def test_gap_threshold_is_set_by_the_reviewer(world, as_user, merged):
    client = as_user(world.reviewer)
    url = reverse("chronology:analysis", args=[merged.pk])
    assert "No gaps longer than 90 days" not in client.get(url).content.decode()
    response = client.post(url, {"gap_threshold_days": "0"})
    assert "The gap must be at least 1 day" in response.content.decode()
    client.post(url, {"gap_threshold_days": "600"})
    assert "No gaps longer than 600 days" in client.get(url).content.decode()
    assert AuditEvent.objects.filter(action="chronology.settings_changed").exists()


def test_flag_tag_comment_and_saved_views_are_attributed_and_audited(world, as_user, merged):
    client = as_user(world.reviewer)
    entry = ChronologyEntry.objects.get(review=merged, current_accepted=True, event_ref="TPOL-0002")
    client.post(reverse("chronology:entry_star", args=[merged.pk, entry.pk]))
    client.post(reverse("chronology:entry_tag", args=[merged.pk, entry.pk]), {"tag": "injury"})
    client.post(reverse("chronology:entry_comment", args=[merged.pk, entry.pk]), {"text": "Was the arm x-rayed?"})
    response = client.post(reverse("chronology:entry_comment", args=[merged.pk, entry.pk]), {"text": ""})
    assert "Enter a comment" in response.content.decode()
    page = client.get(reverse("chronology:entry", args=[merged.pk, entry.pk])).content.decode()
    assert f"Flagged by {world.reviewer}" in page and "injury" in page and "Was the arm x-rayed?" in page
    flagged = client.get(reverse("chronology:merged", args=[merged.pk]), {"marked": "flagged"}).content.decode()
    assert refs(flagged) == ["TPOL-0002"]
    client.post(reverse("chronology:view_save", args=[merged.pk]), {"name": "Flagged", "query": "marked=flagged"})
    view = SavedView.objects.get()
    assert view.created_by == world.reviewer
    page = as_user(world.manager).get(reverse("chronology:merged", args=[merged.pk])).content.decode()
    assert 'href="?marked=flagged">Flagged</a>' in page
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"chronology.entry_flagged", "chronology.entry_tagged", "chronology.entry_commented",
            "chronology.view_saved"} <= actions
    # No names of the family in audit labels.
    assert not AuditEvent.objects.filter(object_label__icontains="Zara").exists()


def test_timeline_is_svg_without_inline_styles(world, as_user, merged):
    page = as_user(world.reviewer).get(reverse("chronology:timeline", args=[merged.pk])).content.decode()
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert 'role="group"' in svg and "TPOL" in svg and "<polygon" in svg  # a group of links to entries
    assert "style=" not in page.lower().replace("stylesheet", "")


def test_timeline_shows_full_agency_names_links_every_mark_and_zooms_to_a_year(world, as_user, merged):
    client = as_user(world.reviewer)
    url = reverse("chronology:timeline", args=[merged.pk])
    page = client.get(url).content.decode()
    svg = page[page.index("<svg"):page.index("</svg>")]
    for agency in (world.agency_a, world.agency_b):
        words = " ".join(re.findall(r'font-size="9">([^<]*)</text>', svg))
        assert all(word in words for word in agency.name.replace("'", "&#x27;").split())  # wrapped, never cut
    entry = ChronologyEntry.objects.get(review=merged, current_accepted=True, event_ref="TPOL-0002")
    assert f'href="{reverse("chronology:entry", args=[merged.pk, entry.pk])}"' in svg
    assert 'aria-label="TPOL: significant event on 12 March 2014' in svg
    assert 'href="?date_from=2015&amp;date_to=2015"' in page
    zoomed = client.get(url, {"date_from": "2015", "date_to": "2015"}).content.decode()
    assert "1 entry matching your filters" in zoomed and 'aria-current="page"><strong>2015' in zoomed


def test_a_dense_timeline_shows_counts_per_period_each_a_link():
    from datetime import date, timedelta

    from casereview.chronology import timeline

    events = [("POL", date(2010, 1, 1) + timedelta(days=n % 3000), n % 97 == 0) for n in range(6000)]
    svg = timeline.render(lanes=[("POL", "Testshire Police Constabulary of the Northern Region")],
                          palette={"POL": 0}, events=events,
                          period_url=lambda code, start, end: f"/merged/?agency=1&date_from={start:%d/%m/%Y}")
    assert svg.count("<a href=") <= timeline.BUCKETS + 1
    assert "Numbers: events in that period" in svg and 'aria-label="POL: ' in svg
    lines = re.findall(r"font-size=\"9\">([^<]*)</text>", svg)
    assert " ".join(lines) == "Testshire Police Constabulary of the Northern Region" and len(lines) == 2
    total = sum(int(n) for n in re.findall(r'font-size="9" text-anchor="middle">(\d+)</text>', svg))
    assert total == 6000


def test_web_exports_are_neutralised_anonymised_and_audited(world, as_user, merged):
    client = as_user(world.reviewer)
    url = reverse("chronology:export", args=[merged.pk])
    assert "The whole merged chronology: 5 entries" in client.get(url).content.decode()
    response = client.get(url, {"format": "csv", "names": "anonymised", "agency": world.agency_a.pk})
    assert "anonymised" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))
    assert len(rows) == 4
    assert rows[3][5].startswith("'=HYPERLINK")
    assert all("Zara" not in cell for row in rows for cell in row)
    response = client.get(url, {"format": "xlsx", "names": "named"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "'=HYPERLINK(\"http://evil.example\") typed by mistake" in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    for fmt, magic in (("docx", b"PK"), ("pdf", b"%PDF")):
        response = client.get(url, {"format": fmt, "names": "anonymised"})
        assert b"".join(response.streaming_content).startswith(magic)
    events = AuditEvent.objects.filter(action="chronology.exported")
    assert events.count() == 4
    assert {e.detail["format"] for e in events} == {"csv", "xlsx", "docx", "pdf"}
    assert events.filter(detail__anonymised=True).count() == 3


def test_viewing_the_merged_chronology_an_entry_and_a_version_is_audited(world, as_user, merged):
    client = as_user(world.reviewer)
    client.get(reverse("chronology:merged", args=[merged.pk]), {"q": "Zara"})
    entry = ChronologyEntry.objects.filter(review=merged, current_accepted=True).first()
    client.get(reverse("chronology:entry", args=[merged.pk, entry.pk]))
    client.get(reverse("chronology:version", args=[merged.pk, entry.version_id]))
    viewed = AuditEvent.objects.filter(actor_id=world.reviewer.pk)
    assert set(viewed.values_list("action", flat=True)) >= {"chronology.merged_viewed", "chronology.entry_viewed",
                                                           "chronology.version_viewed"}
    merged_view = viewed.get(action="chronology.merged_viewed")
    assert merged_view.detail["names"] == "named" and "Zara" not in str(merged_view.detail)
