"""An uploaded file's way into an agency's draft, one service per step.

The web request only stores the file and creates the job (import_job_create); everything that parses the
file runs in the worker (tasks.read_import_headings, tasks.run_import_job). A job carries a heartbeat while
a worker holds it; the sweeper (import_jobs_sweep, every few minutes) fails a job whose worker died, with a
retry, and removes files nobody came back for. Uploads live in the file storage under var/, never /tmp.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction

from casereview.audit.services import audit_record
from casereview.lib.chronology_fields import FIELDS, FIELDS_BY_NAME
from casereview.lib.dates import now as current_time
from casereview.lib.spreadsheets import ACCEPTED_EXTENSIONS, SpreadsheetError
from casereview.lib.uploads import UploadRejected, check_size

from .models import ChronologyVersion, ImportJob, ImportMode
from .services import ChronologyError

UPLOAD_FOLDER = "chronology-uploads"

STALLED = ("The import stopped before it finished, because the server working on it was interrupted. Nothing "
           "was imported. Try again: your file is kept for a day.")
STALLED_READING = ("CaseReview stopped while reading the headings of this file, because the server working on it "
                   "was interrupted. Nothing was imported: upload the file again.")


def stale_after() -> timedelta:
    """How long a worker may go without a sign of life before its job counts as stopped."""
    return timedelta(minutes=int(getattr(settings, "CHRONOLOGY_IMPORT_STALE_MINUTES", 10)))


def queued_stale_after() -> timedelta:
    """How long a job may wait for a free worker before it counts as lost."""
    return timedelta(minutes=int(getattr(settings, "CHRONOLOGY_IMPORT_QUEUE_MINUTES", 60)))


def abandoned_after() -> timedelta:
    """How long an unfinished job's file is kept for its owner to come back to."""
    return timedelta(hours=int(getattr(settings, "CHRONOLOGY_IMPORT_KEEP_HOURS", 24)))


def _locked(job: ImportJob) -> ImportJob:
    return ImportJob.objects.select_for_update(of=("self",)).select_related("review", "agency").get(pk=job.pk)


def _delete_file(name: str) -> None:
    if name:
        default_storage.delete(name)


def import_job_create(*, by, review, agency, upload) -> ImportJob:
    """Store an uploaded file and queue the reading of its headings. Only the name and size are checked here:
    the content is read in the worker, with the limits of casereview.lib.spreadsheets."""
    from .importing import max_bytes
    from .tasks import read_import_headings

    name = upload.name or "upload"
    suffix = PurePath(name).suffix.casefold()
    if suffix not in ACCEPTED_EXTENSIONS:
        raise ChronologyError(f"{name} is not a file CaseReview can import: upload an Excel workbook (.xlsx or "
                              ".xls), an OpenDocument spreadsheet (.ods), CSV (.csv) or a Word document with the "
                              "chronology in a table (.docx)", field="file")
    try:
        check_size(upload.size, max_bytes(), name)
    except UploadRejected as error:
        raise ChronologyError(str(error), field="file") from error
    stored = default_storage.save(f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}{suffix}", upload)
    try:
        with transaction.atomic():
            job = ImportJob.objects.create(
                board_id=review.board_id, review=review, agency=agency, stored_name=stored,
                original_name=name[:255], size_bytes=upload.size, created_by=by, heartbeat_at=current_time())
            audit_record(by=by, action="chronology.import_uploaded", obj=job,
                         detail={"bytes": upload.size, "kind": suffix})
    except BaseException:
        _delete_file(stored)
        raise
    read_import_headings.enqueue(job.pk)
    return job


def import_job_read_headings(job_id: int) -> str:
    """The worker's first step: read the heading row and a few examples for the column-mapping screen."""
    from casereview.lib.chronology_fields import suggest_mapping

    from .importing import read_headings

    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).filter(pk=job_id, status=ImportJob.Status.READING).first()
        if job is None:
            return "nothing to read"
        job.heartbeat_at = current_time()
        job.save(update_fields=["heartbeat_at"])
    try:
        headings, samples = read_headings(default_storage.path(job.stored_name), job.original_name)
    except (SpreadsheetError, OSError) as error:
        message = str(error) if isinstance(error, SpreadsheetError) else (
            f"{job.original_name} could not be read: upload it again")
        with transaction.atomic():
            job = _locked(job)
            if job.status != ImportJob.Status.READING:
                return "already swept"
            job.fail()
            job.errors, job.error_count, job.finished_at = [message], 1, current_time()
            job.save()
        _delete_file(job.stored_name)
        return "refused"
    with transaction.atomic():
        job = _locked(job)
        if job.status != ImportJob.Status.READING:
            return "already swept"
        job.headings, job.samples = headings, samples
        job.mapping = {str(k): v for k, v in suggest_mapping(headings).items()}
        job.heartbeat_at = current_time()
        job.headings_read()
        job.save()
    return "mapping"


def draft_entry_count(review, agency_id: int) -> int:
    draft = ChronologyVersion.objects.filter(review=review, agency_id=agency_id,
                                             state=ChronologyVersion.State.DRAFT).first()
    return draft.entries.count() if draft is not None else 0


def import_job_confirm(*, by, job: ImportJob, mapping: dict[int, str | None], mode: str | None) -> ImportJob:
    """The person importing confirms the columns (and, when the draft has entries, what to do with them);
    the rows are then checked and saved in the background."""
    from .tasks import run_import_job

    with transaction.atomic():
        job = _locked(job)
        if job.status != ImportJob.Status.MAPPING:
            raise ChronologyError("This import has already started: its progress is shown below")
        used: dict[str, int] = {}
        for index, name in sorted(mapping.items()):
            if not name:
                continue
            if name in used:
                raise ChronologyError(
                    f"{FIELDS_BY_NAME[name].heading} is already chosen for column {used[name] + 1}: choose it "
                    "for one column only", field=f"column_{index}")
            used[name] = index
        for field in FIELDS:
            if field.mandatory and field.name not in used:
                raise ChronologyError(f"Choose which column holds {field.heading}: every entry needs it")
        existing = draft_entry_count(job.review, job.agency_id)
        if existing and mode not in ImportMode.values:
            raise ChronologyError(f"Choose what to do with the {existing} entr{'y' if existing == 1 else 'ies'} "
                                  "already in your draft", field="mode")
        job.mapping = {str(k): v for k, v in mapping.items()}
        job.mode = mode if existing else ImportMode.REPLACE
        job.heartbeat_at = current_time()
        job.queue()
        job.save()
        audit_record(by=by, action="chronology.import_started", obj=job,
                     detail={"mode": job.mode, "draft_entries": existing})
    run_import_job.enqueue(job.pk)
    return job


def import_job_retry(*, by, job: ImportJob) -> ImportJob:
    """Try again an import whose worker stopped, from the file kept for it."""
    from .tasks import run_import_job

    with transaction.atomic():
        job = _locked(job)
        if not (job.status == ImportJob.Status.FAILED and job.stalled):
            raise ChronologyError("Only an import that stopped part-way can be tried again: upload the file again")
        if not job.stored_name or not default_storage.exists(job.stored_name):
            raise ChronologyError("The file of this import has been removed: upload it again")
        job.retry()
        job.stalled, job.errors, job.error_count, job.finished_at = False, [], 0, None
        job.heartbeat_at = current_time()
        job.save()
        audit_record(by=by, action="chronology.import_retried", obj=job)
    run_import_job.enqueue(job.pk)
    return job


def available_import_actions(user, job: ImportJob) -> list[str]:
    """What the import's status page offers: "retry" (a stopped import) or "upload" (start again)."""
    if job.status == ImportJob.Status.FAILED and job.stalled and job.created_by_id == user.pk:
        return ["retry", "upload"]
    if job.status in (ImportJob.Status.FAILED, ImportJob.Status.EXPIRED):
        return ["upload"]
    return []


def _last_sign_of_life(job: ImportJob) -> datetime | None:
    from .importing import progress_touched_at

    beats = [moment for moment in (job.heartbeat_at, progress_touched_at(job.pk)) if moment is not None]
    return max(beats) if beats else None


def import_jobs_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Fail the jobs whose worker stopped (with a retry where the file allows), and remove the files of
    jobs nobody came back to. Returns how many jobs were stopped and how many files were removed."""
    from .importing import progress_clear

    now = now or current_time()
    counts = {"stopped": 0, "removed": 0}
    limits = {ImportJob.Status.READING: stale_after(), ImportJob.Status.CHECKING: stale_after(),
              ImportJob.Status.QUEUED: queued_stale_after()}
    for status, limit in limits.items():
        for job in ImportJob.objects.filter(status=status, heartbeat_at__lt=now - limit):
            beat = _last_sign_of_life(job)
            if beat is not None and beat >= now - limit:
                continue
            with transaction.atomic():
                job = _locked(job)
                if job.status != status:
                    continue
                reading = status == ImportJob.Status.READING
                job.fail()
                job.stalled = not reading
                job.errors, job.error_count, job.finished_at = [STALLED_READING if reading else STALLED], 1, now
                job.save()
                audit_record(by=None, action="chronology.import_stopped", obj=job, board_id=job.board_id,
                             detail={"was": status})
            progress_clear(job.pk)
            if reading:
                _delete_file(job.stored_name)
            counts["stopped"] += 1
    for job in ImportJob.objects.filter(status__in=[ImportJob.Status.MAPPING, ImportJob.Status.FAILED],
                                        created_at__lt=now - abandoned_after()):
        with transaction.atomic():
            job = _locked(job)
            if job.status not in (ImportJob.Status.MAPPING, ImportJob.Status.FAILED):
                continue
            job.expire()
            job.save()
            audit_record(by=None, action="chronology.import_expired", obj=job, board_id=job.board_id)
        _delete_file(job.stored_name)
        counts["removed"] += 1
    counts["removed"] += _remove_orphans(now)
    return counts


def _remove_orphans(now: datetime) -> int:
    """Files a dead web worker left behind: uploads no job points at, and Django's temporary uploads (kept
    under var/ when FILE_UPLOAD_TEMP_DIR is set there), once they are older than the keeping time."""
    import os
    from pathlib import Path

    removed = 0
    cutoff = (now - abandoned_after()).timestamp()
    try:
        _folders, names = default_storage.listdir(UPLOAD_FOLDER)
    except (FileNotFoundError, NotImplementedError):
        names = []
    live = set(ImportJob.objects.exclude(status__in=[ImportJob.Status.DONE, ImportJob.Status.EXPIRED])
               .values_list("stored_name", flat=True))
    for name in names:
        stored = f"{UPLOAD_FOLDER}/{name}"
        if stored in live:
            continue
        try:
            old = default_storage.get_modified_time(stored).timestamp() < cutoff
        except (OSError, NotImplementedError):
            continue
        if old:
            default_storage.delete(stored)
            removed += 1
    temporary = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
    var = Path(settings.VAR_DIR).resolve()
    if temporary and Path(temporary).resolve().is_relative_to(var) and Path(temporary).is_dir():
        for entry in os.scandir(temporary):
            if entry.is_file() and entry.name.endswith(".upload") and entry.stat().st_mtime < cutoff:
                Path(entry.path).unlink(missing_ok=True)
                removed += 1
    return removed
