"""Background work for chronologies: large imports and the daily chasing of agencies."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def read_import_headings(job_id: int) -> str:
    """Read an upload's headings for the column-mapping screen: in the worker, never in the web request."""
    from .import_jobs import import_job_read_headings

    return import_job_read_headings(job_id)


@task()
def run_import_job(job_id: int) -> str:
    """Import an uploaded file into the agency's draft, all rows or none, reporting progress as it goes."""
    from casereview.lib.dates import now

    from .importing import (
        MAX_STORED_PROBLEMS,
        ImportFailed,
        estimate_rows,
        import_chronology,
        progress_clear,
        progress_write,
    )
    from .models import ChronologyVersion, ImportJob

    with transaction.atomic():
        job = (ImportJob.objects.select_for_update(of=("self",)).filter(pk=job_id, status=ImportJob.Status.QUEUED)
               .select_related("review", "review__case", "agency", "created_by").first())
        if job is None:
            return "nothing to import"
        path = default_storage.path(job.stored_name)
        job.rows_total = estimate_rows(path, job.original_name)
        job.heartbeat_at = now()
        job.start()
        job.save()
    total = job.rows_total
    progress_write(job.pk, 0, total)
    mapping = {int(k): v for k, v in job.mapping.items()}
    try:
        version = import_chronology(
            by=job.created_by, review=job.review, agency=job.agency, path=path, filename=job.original_name,
            mapping=mapping, submit=False, origin=ChronologyVersion.Origin.UPLOAD, mode=job.mode,
            progress=lambda done: progress_write(job.pk, done, total))
    except ImportFailed as failure:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
            if job.status == ImportJob.Status.CHECKING:
                job.fail()
            job.stalled = False
            job.errors = [str(p) for p in failure.problems[:MAX_STORED_PROBLEMS]]
            job.error_count, job.finished_at = failure.total, now()
            job.save()
        outcome = "failed"
    else:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
            job.finish()
            job.stalled, job.errors, job.error_count = False, [], 0
            job.version, job.rows_done, job.rows_total, job.finished_at = (
                version, version.imported_entries, version.imported_entries, now())
            job.save()
        outcome = "imported"
    finally:
        progress_clear(job_id)
    # The upload is only needed until it is imported or refused: do not keep a second copy of case data.
    default_storage.delete(job.stored_name)
    logger.info("chronology import finished", extra={"job_id": job.pk, "outcome": outcome})
    return outcome


@task()
def sweep_import_jobs() -> dict:
    """Fail imports whose worker stopped, remove files nobody came back for, and remove export files a day
    old (run every few minutes)."""
    from .export_jobs import export_jobs_sweep
    from .import_jobs import import_jobs_sweep

    return {**import_jobs_sweep(), "exports_removed": export_jobs_sweep()}


@task()
def run_export_job(job_id: int) -> str:
    """Write an export larger than a page, with progress, and tell the person who asked when it is ready."""
    from .export_jobs import export_job_run

    return export_job_run(job_id)


@task()
def chase_chronologies() -> dict:
    """Remind agencies before their deadline and chase overdue chronologies (run daily)."""
    from .services import chase_due_requests

    return chase_due_requests()
