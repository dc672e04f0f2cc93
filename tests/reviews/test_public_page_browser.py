"""The public page of published reports in Debian's chromium, with an axe accessibility check (WCAG 2.2 A/AA)."""

import pytest
from django.urls import reverse

from tests.browser_support import axe_violations
from tests.reviews import helpers as h


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_public_page_lists_the_report_downloads_it_and_passes_axe(world, live_server, page):
    review = h.published_before_public_files(world)  # its download is the version itself
    response = page.goto(live_server.url + reverse("reviews:public_list", args=[world.board.slug]))
    assert response.status == 200
    assert page.get_by_role("heading", name="Published case reviews").is_visible()
    link = page.get_by_role("link", name="Download the report: Child Q")
    assert link.is_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"report-version-{review.published_version.number}.txt"
    assert axe_violations(page) == []
