"""Imports never lose work (add, replace with the old draft restorable, update by event reference), never
parse a file inside the web request, and never get stuck: a stopped worker's job is failed with a retry and
abandoned files are removed. A polling status page does not keep an idle session alive."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casereview.audit.models import AuditEvent
from casereview.chronology import import_jobs, services
from casereview.chronology.models import ChronologyEntry, ChronologyRequest, ChronologyVersion, ImportJob
from casereview.lib.chronology_fields import suggest_mapping
from casereview.lib.dates import now
from tests.chronology.helpers import GOOD_ROWS, csv_bytes, make_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(world):
    review = make_review(world)
    ChronologyRequest.objects.create(review=review, agency=world.agency_a, requested_by=world.manager)
    return review


def typed_entry(world, review, description: str, ref: str = ""):
    from casereview.lib.chrono_dates import parse_event_date

    return services.entry_create(by=world.author_a, review=review, details=services.EntryDetails(
        event_ref=ref, start=parse_event_date("02/01/2014"), source="Typed by the author",
        description=description, key_practice_episode=True))


def import_through_the_pages(client, review, name, data, mode=None):
    response = client.post(reverse("chronology:import_upload", args=[review.pk]),
                           {"file": SimpleUploadedFile(name, data)})
    response = client.get(response.url)
    job = ImportJob.objects.order_by("-pk").first()
    form = {f"column_{i}": field or "" for i, field in suggest_mapping(job.headings).items()}
    if mode:
        form["mode"] = mode
    return client.post(response.url, form, follow=True)


def test_importing_into_a_draft_with_typed_entries_asks_first_and_adding_keeps_them(world, as_user, review):
    client = as_user(world.author_a)
    typed_entry(world, review, "Key practice episode typed in the browser")
    typed_entry(world, review, "A second typed entry")
    response = client.post(reverse("chronology:import_upload", args=[review.pk]),
                           {"file": SimpleUploadedFile("police.csv", csv_bytes(GOOD_ROWS))})
    mapping_url = client.get(response.url).url
    page = client.get(mapping_url).content.decode()
    assert "Your draft already has 2 entries. What should this import do?" in page
    assert "Replace your draft: its 2 entries go, and the current draft is kept as an earlier version" in page
    job = ImportJob.objects.get()
    form = {f"column_{i}": field or "" for i, field in suggest_mapping(job.headings).items()}
    page = client.post(mapping_url, form).content.decode()
    assert "Choose what to do with the 2 entries already in your draft" in page
    assert not ChronologyEntry.objects.filter(source="Police log").exists()

    page = client.post(mapping_url, {**form, "mode": "add"}, follow=True).content.decode()
    assert "3 entries imported: your draft now has 5 entries" in page
    draft = ChronologyVersion.objects.get(state="draft")
    refs = sorted(draft.entries.values_list("event_ref", flat=True))
    # One reference format for the agency: typed and imported entries continue the same numbering.
    assert refs == ["TPOL-0001", "TPOL-0002", "TPOL-0003", "TPOL-0004", "TPOL-0005"]
    assert draft.entries.filter(description="Key practice episode typed in the browser",
                                key_practice_episode=True).exists()
    assert AuditEvent.objects.filter(action="chronology.import_started", detail__mode="add").exists()


def test_adding_a_row_whose_reference_is_already_in_the_draft_is_refused_with_the_way_out(world, as_user, review):
    client = as_user(world.author_a)
    typed_entry(world, review, "Typed", ref="POL-7")
    rows = [["POL-7", "12/03/2014", "Police log", "Attended"]]
    page = import_through_the_pages(client, review, "p.csv", csv_bytes(
        rows, headings=["Ref", "Date", "Source", "Description"]), mode="add").content.decode()
    assert "row 2: Ref: &#x27;POL-7&#x27; is already an entry in your draft: choose &#x27;update&#x27;" in page
    assert ChronologyEntry.objects.get().description == "Typed"


def test_update_replaces_entries_that_share_a_reference_and_adds_the_rest(world, as_user, review):
    client = as_user(world.author_a)
    typed_entry(world, review, "Old wording", ref="POL-7")
    typed_entry(world, review, "Untouched", ref="POL-8")
    rows = [["POL-7", "12/03/2014", "Police log", "New wording"], ["", "13/03/2014", "Police log", "Brand new"]]
    import_through_the_pages(client, review, "p.csv", csv_bytes(rows, headings=["Ref", "Date", "Source",
                                                                                 "Description"]), mode="update")
    draft = ChronologyVersion.objects.get(state="draft")
    assert dict(draft.entries.values_list("event_ref", "description")) == {
        "POL-7": "New wording", "POL-8": "Untouched", "TPOL-0001": "Brand new"}
    assert draft.entry_count == 3


def test_replacing_keeps_the_old_draft_which_can_be_restored(world, as_user, review):
    client = as_user(world.author_a)
    typed_entry(world, review, "Typed key practice episode")
    import_through_the_pages(client, review, "p.csv", csv_bytes(GOOD_ROWS), mode="replace")
    old = ChronologyVersion.objects.get(state="superseded")
    assert ChronologyVersion.objects.get(state="draft").entries.count() == 3
    page = client.get(reverse("chronology:version", args=[review.pk, old.pk])).content.decode()
    assert "Restore this version as your draft" in page
    response = client.post(reverse("chronology:version_restore", args=[review.pk, old.pk]))
    assert response.status_code == 302
    draft = ChronologyVersion.objects.get(state="draft")
    assert list(draft.entries.values_list("description", flat=True)) == ["Typed key practice episode"]
    # The imported draft is not lost either: it is an earlier version now.
    assert ChronologyVersion.objects.filter(state="superseded").count() == 2
    assert AuditEvent.objects.filter(action="chronology.version_restored").exists()


def _far_cell_workbook() -> bytes:
    from tests.lib.test_spreadsheet_formats import cell, hand_made_xlsx

    return hand_made_xlsx('<row r="1">' + cell("A1", "Date") + cell("B1", "Source") + cell("C1", "Description")
                          + '</row><row r="1048576">' + cell("XFD1048576", "x") + "</row>")


def test_a_hostile_workbook_is_not_read_in_the_web_request_and_is_refused_by_the_worker(world, as_user, review,
                                                                                        monkeypatch):
    from types import SimpleNamespace

    from casereview.chronology import tasks

    queued = []
    # A worker that has not picked the job up yet.
    monkeypatch.setattr(tasks, "read_import_headings", SimpleNamespace(enqueue=queued.append))
    client = as_user(world.author_a)
    response = client.post(reverse("chronology:import_upload", args=[review.pk]),
                           {"file": SimpleUploadedFile("far.xlsx", _far_cell_workbook())})
    job = ImportJob.objects.get()
    # The request stored the file and queued the reading: it parsed nothing.
    assert queued == [job.pk] and job.status == ImportJob.Status.READING and job.headings == []
    page = client.get(response.url).content.decode()
    assert "Reading your file" in page
    assert import_jobs.import_job_read_headings(job.pk) == "refused"
    page = client.get(response.url).content.decode()
    assert "Nothing was imported" in page and "far.xlsx has a cell in column XFD, far to the right" in page
    assert not default_storage.exists(job.stored_name)


def _stopped_worker_job(world, review) -> ImportJob:
    job = import_jobs.import_job_create(by=world.author_a, review=review, agency=world.agency_a,
                                        upload=SimpleUploadedFile("p.csv", csv_bytes(GOOD_ROWS)))
    job = ImportJob.objects.get(pk=job.pk)
    job.queue()
    job.start()  # a worker took it, then died: no more heartbeats
    job.heartbeat_at = now() - timedelta(hours=1)
    job.save()
    return job


def test_the_sweeper_fails_a_stopped_import_with_a_retry_that_then_imports(world, as_user, review):
    job = _stopped_worker_job(world, review)
    assert import_jobs.import_jobs_sweep() == {"stopped": 1, "removed": 0}
    client = as_user(world.author_a)
    url = reverse("chronology:import_status", args=[review.pk, job.pk])
    page = client.get(url).content.decode()
    assert "The import stopped before it finished" in page and "Try the import again" in page
    assert default_storage.exists(job.stored_name)
    assert AuditEvent.objects.filter(action="chronology.import_stopped").exists()
    client.post(reverse("chronology:import_retry", args=[review.pk, job.pk]))
    page = client.get(url).content.decode()
    assert "3 entries imported" in page
    assert not default_storage.exists(job.stored_name)


def test_a_job_that_is_still_beating_is_left_alone(world, review):
    job = _stopped_worker_job(world, review)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=now())
    assert import_jobs.import_jobs_sweep() == {"stopped": 0, "removed": 0}


def test_files_abandoned_at_the_mapping_step_are_removed_after_a_day(world, as_user, review):
    job = import_jobs.import_job_create(by=world.author_a, review=review, agency=world.agency_a,
                                        upload=SimpleUploadedFile("p.csv", csv_bytes(GOOD_ROWS)))
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.MAPPING
    assert import_jobs.import_jobs_sweep() == {"stopped": 0, "removed": 0}
    assert import_jobs.import_jobs_sweep(now=now() + timedelta(hours=25))["removed"] >= 1
    assert not default_storage.exists(job.stored_name)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.EXPIRED
    page = as_user(world.author_a).get(reverse("chronology:import_status", args=[review.pk, job.pk])).content
    assert "Its columns were not confirmed within a day, so the file was removed" in page.decode()


def test_uploads_are_kept_under_var_never_in_tmp(world, review, settings):
    job = import_jobs.import_job_create(by=world.author_a, review=review, agency=world.agency_a,
                                        upload=SimpleUploadedFile("p.csv", csv_bytes(GOOD_ROWS)))
    assert default_storage.path(job.stored_name).startswith(str(settings.STORAGES["default"]["OPTIONS"]["location"]))
    assert "/tmp/" not in default_storage.path(job.stored_name)  # noqa: S108 - the point of the test


def test_polling_the_status_does_not_keep_an_idle_session_alive(world, as_user, review, time_machine):
    time_machine.move_to(now(), tick=False)
    client = as_user(world.author_a)
    job = _stopped_worker_job(world, review)
    key = client.session.session_key
    client.get(reverse("chronology:agency", args=[review.pk]))
    expiry = Session.objects.get(session_key=key).expire_date
    time_machine.shift(timedelta(minutes=5))
    assert client.get(reverse("chronology:import_status_json", args=[review.pk, job.pk])).status_code == 200
    assert Session.objects.get(session_key=key).expire_date == expiry
    client.get(reverse("chronology:agency", args=[review.pk]))
    assert Session.objects.get(session_key=key).expire_date > expiry


def test_a_word_table_imports_through_the_same_mapping_screen(world, as_user, review):
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for c, value in enumerate(["Date of event", "Source", "What happened"]):
        table.cell(0, c).text = value
    for c, value in enumerate(["12/03/2014", "School record", "Bruise noticed on arm"]):
        table.cell(1, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    page = import_through_the_pages(as_user(world.author_a), review, "school.docx", buffer.getvalue())
    assert "1 entry imported" in page.content.decode()
    assert ChronologyEntry.objects.get().description == "Bruise noticed on arm"


def test_an_entity_bomb_in_a_word_document_is_refused_with_a_clear_message(world, as_user, review):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>')
    client = as_user(world.author_a)
    response = client.post(reverse("chronology:import_upload", args=[review.pk]),
                           {"file": SimpleUploadedFile("bomb.docx", buffer.getvalue())}, follow=True)
    assert "bomb.docx contains XML with a document type declaration" in response.content.decode()
    assert not ChronologyEntry.objects.exists()


def test_the_sweeper_removes_uploads_and_temporary_files_a_dead_worker_left_behind(world, review, settings,
                                                                                  tmp_path):
    import os

    from django.core.files.base import ContentFile

    orphan = default_storage.save(f"{import_jobs.UPLOAD_FOLDER}/orphan.csv", ContentFile(b"Date,Source\n"))
    temporary = tmp_path / "var" / "tmp"
    temporary.mkdir(parents=True)
    settings.VAR_DIR = tmp_path / "var"
    settings.FILE_UPLOAD_TEMP_DIR = str(temporary)
    left = temporary / "tmpab12cd.upload"
    left.write_bytes(b"names")
    job = import_jobs.import_job_create(by=world.author_a, review=review, agency=world.agency_a,
                                        upload=SimpleUploadedFile("p.csv", csv_bytes(GOOD_ROWS)))
    import_jobs.import_jobs_sweep()
    assert default_storage.exists(orphan) and left.exists()  # nothing is old yet
    day_ago = (now() - timedelta(hours=30)).timestamp()
    os.utime(default_storage.path(orphan), (day_ago, day_ago))
    os.utime(left, (day_ago, day_ago))
    assert import_jobs.import_jobs_sweep()["removed"] >= 2
    assert not default_storage.exists(orphan) and not left.exists()
    assert default_storage.exists(job.stored_name)  # a live job's file stays
