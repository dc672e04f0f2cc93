"""Background work for chronologies: large imports and the daily chasing of agencies."""

from __future__ import annotations

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def run_import_job(job_id: int) -> str:
    """Import an uploaded spreadsheet into the agency's draft, all rows or none, reporting progress."""
    from .importing import (
        MAX_STORED_PROBLEMS,
        ImportFailed,
        estimate_rows,
        import_chronology,
        progress_clear,
        progress_write,
    )
    from .models import ChronologyVersion, ImportJob

    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).select_related(
        "review", "review__case", "agency", "created_by").first()
    if job is None:
        return "nothing to import"
    path = default_storage.path(job.stored_name)
    total = estimate_rows(path, job.original_name)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.CHECKING, rows_total=total)
    progress_write(job.pk, 0, total)
    mapping = {int(k): v for k, v in job.mapping.items()}
    try:
        version = import_chronology(
            by=job.created_by, review=job.review, agency=job.agency, path=path, filename=job.original_name,
            mapping=mapping, submit=False, origin=ChronologyVersion.Origin.UPLOAD,
            progress=lambda done: progress_write(job.pk, done, total))
    except ImportFailed as failure:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, errors=[str(p) for p in failure.problems[:MAX_STORED_PROBLEMS]],
            error_count=failure.total, finished_at=timezone.now())
        outcome = "failed"
    else:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.DONE, version=version, rows_done=version.entry_count,
            rows_total=version.entry_count, finished_at=timezone.now())
        outcome = "imported"
    finally:
        progress_clear(job.pk)
        # The upload is only needed until it is imported or refused: do not keep a second copy of case data.
        transaction.on_commit(lambda: default_storage.delete(job.stored_name))
    logger.info("chronology import finished", extra={"job_id": job.pk, "outcome": outcome})
    return outcome


@task()
def chase_chronologies() -> dict:
    """Remind agencies before their deadline and chase overdue chronologies (run daily)."""
    from .services import chase_due_requests

    return chase_due_requests()
