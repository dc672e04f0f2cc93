"""A large chronology export in the background, in the browser (issue G3, item 4).

The lead reviewer asks for the Excel export of a merged chronology larger than a page. The status page shows the
job's progress, the bar moves as the worker writes rows, and the download link appears, all without the reader
reloading the page. Without script, the same page offers a link that refreshes it. The worker runs in a thread of
the test, paused after its first 500 rows until the page has shown them.
"""

import threading
from dataclasses import dataclass

import pytest
from django.db import connection

from casereview.chronology import export_jobs, exports
from casereview.chronology.models import ExportJob
from tests.browser_support import axe_violations
from tests.chronology.helpers import accepted_chronology, make_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRIES = 600


def rows(count: int) -> list[list[str]]:
    return [[f"{1 + number % 28:02d}/{1 + number % 12:02d}/{2014 + number % 5}", "10:00",
             f"Home visit number {number}: the flat was tidy", "Case record", "", "Home visit", "Child Q", "", "",
             "", "N"] for number in range(count)]


@pytest.fixture
def paused_worker(monkeypatch):
    """The export worker, stopped after reporting its first 500 rows until `carry_on` is set."""
    reached, carry_on = threading.Event(), threading.Event()

    @dataclass
    class PausedSource(exports.ExportSource):
        def __post_init__(self):
            report = self.progress

            def progress(done: int) -> None:
                report(done)
                if done >= 500:
                    reached.set()
                    carry_on.wait(30)

            self.progress = progress

    monkeypatch.setattr(exports, "ExportSource", PausedSource)
    return reached, carry_on


def test_the_background_export_shows_its_progress_then_the_download_link_without_a_reload(
        live_server, world, browser, sign_in, settings, tmp_path, paused_worker):
    # Exports are written to this test's own folder; the worker is started by the test, not by the request.
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path / "files"}}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    review = make_review(world)
    accepted_chronology(world, review, world.agency_a, rows(ENTRIES), tmp_path)
    reached, carry_on = paused_worker

    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, world.reviewer)
    page.goto(f"{live_server.url}/chronology/{review.pk}/export/")
    page.get_by_text(f"The whole merged chronology: {ENTRIES} entries").wait_for()
    page.get_by_label("Excel (.xlsx)").check()
    page.get_by_label("Named: includes the names of the child and family").check()
    page.get_by_role("button", name="Prepare the export").click()

    page.get_by_role("heading", name="Preparing your export").wait_for()
    job = ExportJob.objects.get(review=review)
    assert job.status == ExportJob.Status.QUEUED
    assert page.locator("progress").get_attribute("value") == "0"
    assert page.get_by_text(f"0 of about {ENTRIES} rows done").is_visible()
    assert axe_violations(page) == [], page.url
    # Anything the page remembers is lost on a reload: the marker shows that the page updates itself.
    page.evaluate("window.crStillTheSamePage = true")

    # Without script the page still works: it offers a link that refreshes it.
    plain = browser.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=False)
    plain_page = plain.new_page()
    sign_in(plain_page, world.reviewer)
    plain_page.goto(page.url)
    refresh = plain_page.get_by_role("link", name="Refresh this page to see progress")
    assert refresh.is_visible()

    def work() -> None:
        try:
            export_jobs.export_job_run(job.pk)
        finally:
            connection.close()

    worker = threading.Thread(target=work)
    worker.start()
    try:
        assert reached.wait(30)
        # The bar moves as the worker reports rows, with no reload.
        page.get_by_text(f"500 of about {ENTRIES} rows done").wait_for()
        assert page.locator("progress").get_attribute("value") == str(500 * 100 // ENTRIES)
        assert page.evaluate("window.crStillTheSamePage === true")
    finally:
        carry_on.set()
        worker.join(60)

    # Finished: the page replaces the bar with the download link by itself.
    page.get_by_role("heading", name="Your export is ready").wait_for()
    link = page.get_by_role("link", name="Download chronology-")
    assert link.is_visible()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.DONE

    # The page without script shows the link once refreshed.
    refresh.click()
    plain_page.get_by_role("heading", name="Your export is ready").wait_for()
    assert plain_page.get_by_role("link", name="Download chronology-").is_visible()
    plain.close()
    context.close()
