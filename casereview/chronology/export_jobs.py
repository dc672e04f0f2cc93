"""Exports larger than a page are written in the background, never inside the web request: the request
creates the job (export_job_create), a worker writes the file with progress (tasks.run_export_job), and the
person who asked gets a download link on the status page and by email. Files are removed after a day."""

from __future__ import annotations

import io
import uuid
from dataclasses import asdict
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from casereview.audit.services import audit_record
from casereview.core.links import absolute_url
from casereview.lib.dates import now as current_time
from casereview.notifications.services import email_queue

from .models import ExportJob
from .selectors import Filters
from .services import ChronologyError

EXPORT_FOLDER = "chronology-exports"
KEEP_FOR = timedelta(days=1)


def export_job_create(*, by, review, fmt: str, anonymised: bool, filters: Filters, filters_used: list[str],
                      description: str, total: int) -> ExportJob:
    from .exports import FORMATS
    from .tasks import run_export_job

    if fmt not in FORMATS:
        raise ChronologyError("Choose a format for the export", field="format")
    with transaction.atomic():
        job = ExportJob.objects.create(review=review, requested_by=by, fmt=fmt, anonymised=anonymised,
                                       filters=asdict(filters), filters_used=filters_used,
                                       description=description[:200], rows_total=total,
                                       heartbeat_at=current_time())
        audit_record(by=by, action="chronology.export_requested", obj=job, board_id=review.board_id,
                     detail={"format": fmt, "anonymised": anonymised, "entries": total,
                             "filters": sorted(filters_used)})
    run_export_job.enqueue(job.pk)
    return job


def export_job_run(job_id: int) -> str:
    """The worker's part: write the export, reporting progress, then offer the file to the person who asked."""
    from .exports import ExportSource, export_chronology, export_filename
    from .selectors import merged_entries

    with transaction.atomic():
        job = (ExportJob.objects.select_for_update(of=("self",)).select_related("review", "review__board", "requested_by")
               .filter(pk=job_id, status=ExportJob.Status.QUEUED).first())
        if job is None:
            return "nothing to export"
        job.start()
        job.heartbeat_at = current_time()
        job.save()

    def progress(done: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_done=done, heartbeat_at=current_time())

    review = job.review
    source = ExportSource(review=review, entries=merged_entries(review, Filters(**job.filters)),
                          anonymised=job.anonymised, description=job.description, progress=progress)
    try:
        stream = io.BytesIO()
        count = export_chronology(by=job.requested_by, source=source, fmt=job.fmt, stream=stream,
                                  filters_used=job.filters_used)
        stored = default_storage.save(f"{EXPORT_FOLDER}/{uuid.uuid4().hex}.{job.fmt}",
                                      ContentFile(stream.getvalue()))
    except Exception:
        with transaction.atomic():
            job = ExportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
            job.fail()
            job.finished_at = current_time()
            job.save()
        raise
    with transaction.atomic():
        job = ExportJob.objects.select_for_update(of=("self",)).select_related("review", "requested_by").get(pk=job.pk)
        job.finish()
        job.stored_name, job.filename = stored, export_filename(review, job.fmt, job.anonymised)
        job.rows_done, job.rows_total, job.finished_at = count, count, current_time()
        job.save()
        person = job.requested_by
        if person.email:
            link = absolute_url("chronology:export_status", review.pk, job.pk)
            email_queue(to=person.email, board_id=review.board_id, about=job, by=None,
                        subject=f"Your export of the chronology of review {review.reference} is ready",
                        body=f"The export you asked for ({count} entries) is ready to download for a day: {link}\n\n"
                             "Sign in to CaseReview to download it.\n")
    return "exported"


def export_jobs_sweep(*, now: datetime | None = None) -> int:
    """Remove export files a day after they were made. Returns how many were removed."""
    now = now or current_time()
    removed = 0
    for job in ExportJob.objects.filter(status__in=[ExportJob.Status.DONE, ExportJob.Status.FAILED],
                                        created_at__lt=now - KEEP_FOR):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
            if job.status not in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
                continue
            job.expire()
            job.save()
        if job.stored_name:
            default_storage.delete(job.stored_name)
        removed += 1
    return removed
