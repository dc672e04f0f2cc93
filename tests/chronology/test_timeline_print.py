"""The timeline on paper (issue G3, item 5): a print stylesheet linked with media="print" lays the page out on
A4 landscape with the picture at full width, the agencies' names in full and the board's marking on every page."""

import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from casereview.lib.pdf import PdfProperties, render_pdf
from tests.chronology.test_merged import HEALTH, POLICE, merged  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "casereview" / "chronology" / "static" / "chronology"


def timeline_page(client, review) -> str:
    return client.get(reverse("chronology:timeline", args=[review.pk])).content.decode()


def test_the_timeline_links_a_print_stylesheet_and_carries_the_marking_and_a_key_of_agencies(
        world, as_user, merged):  # noqa: F811
    world.board.protective_marking = "OFFICIAL-SENSITIVE PERSONAL"
    world.board.save(update_fields=["protective_marking"])
    page = timeline_page(as_user(world.reviewer), merged)
    assert re.search(r'<link rel="stylesheet" media="print" href="[^"]*chronology/timeline_print\.css">', page)
    assert page.count("OFFICIAL-SENSITIVE PERSONAL") == 2  # the layout table's heading and foot, on paper only
    key = page[page.index('<dl class="cr-timeline-key">'):page.index("</dl>")]
    for agency in (world.agency_a, world.agency_b):
        assert agency.name.replace("'", "&#x27;") in key and agency.short_code in key
    assert "style=" not in page.lower().replace("stylesheet", "")


def test_the_printed_timeline_is_a4_landscape_with_full_agency_names_and_the_marking_on_every_page(
        world, as_user, merged):  # noqa: F811
    from pypdf import PdfReader

    world.agency_a.name = "Testshire Police Constabulary of the Northern Region and the Islands"
    world.agency_a.save(update_fields=["name"])
    html = timeline_page(as_user(world.reviewer), merged)
    sheets = [(STATIC / name).read_text() for name in ("chronology.css", "timeline_print.css")]
    reader = PdfReader(io.BytesIO(render_pdf(html, PdfProperties(title="Timeline"), stylesheets=sheets)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    # A longer page (as many agencies make it) runs to more pages: the marking heads and foots each one.
    longer = html.replace("</td></tr></tbody>", "<p>More</p>" * 120 + "</td></tr></tbody>")
    pages = PdfReader(io.BytesIO(render_pdf(longer, PdfProperties(title="Timeline"), stylesheets=sheets))).pages
    assert len(pages) > 1
    for page in [*reader.pages, *pages]:
        assert round(float(page.mediabox.width)) == 842 and round(float(page.mediabox.height)) == 595
        assert page.extract_text().count("OFFICIAL-SENSITIVE") >= 2
    assert "Testshire Police Constabulary of the Northern Region and the Islands" in text
    assert world.agency_b.name in text
    assert "Zoom to" not in text and "Sign out" not in text  # the page's controls are not printed
