"""The review's timescale: extensions, pauses for court proceedings and interim points."""

from datetime import date

from django.db import transaction

from casereview.audit.services import audit_record
from casereview.lib.dates import now, today
from casereview.lib.formats import long_date

from .. import selectors
from ..models import Extension, InterimPoint, Pause, Review
from .base import ReviewError, _not_future, lock_review


def extension_request(*, by, review: Review, new_target_on: date, reason: str) -> Extension:
    if not reason.strip():
        raise ReviewError("Explain why the review needs more time", "reason")
    with transaction.atomic():
        review = lock_review(review)
        timescale = selectors.review_timescale(review, today())
        if timescale.target is None:
            raise ReviewError("This review has no target date yet: set one in the terms of reference",
                              "new_target_on")
        if new_target_on <= timescale.target:
            raise ReviewError(f"The new target date must be after the current target ({long_date(timescale.target)})",
                              "new_target_on")
        if timescale.pending_extension:
            raise ReviewError("An extension is already waiting for a decision", "new_target_on")
        extension = Extension.objects.create(review=review, new_target_on=new_target_on, reason=reason.strip(),
                                             requested_by=by)
        audit_record(by=by, action="review.extension_requested", obj=review,
                     detail={"new_target_on": new_target_on.isoformat()})
    return extension


def extension_decide(*, by, extension: Extension, approve: bool, note: str) -> Extension:
    if not approve and not note.strip():
        raise ReviewError("Explain why the extension is refused", "note")
    with transaction.atomic():
        lock_review(extension.review)
        extension = Extension.objects.get(pk=extension.pk)
        if extension.decision != Extension.Decision.PENDING:
            raise ReviewError("This extension has already been decided")
        extension.approve() if approve else extension.refuse()
        extension.decision_note, extension.decided_by, extension.decided_at = note.strip(), by, now()
        extension.save()
        audit_record(by=by, action="review.extension_decided", obj=extension.review,
                     detail={"decision": extension.decision, "new_target_on": extension.new_target_on.isoformat()})
    return extension


def pause_start(*, by, review: Review, started_on: date, reason: str) -> Pause:
    if started_on < review.initiated_on:
        raise ReviewError(f"The pause must start on or after the review started ({long_date(review.initiated_on)})",
                          "started_on")
    _not_future(started_on, "The date the pause started", "started_on")
    if not reason.strip():
        raise ReviewError("Say which court proceedings are delaying the review", "reason")
    with transaction.atomic():
        review = lock_review(review)
        if review.pauses.filter(ended_on__isnull=True).exists():
            raise ReviewError("The review is already paused", "started_on")
        if review.status in (Review.Status.PUBLISHED, Review.Status.NOT_PUBLISHED):
            raise ReviewError("A finished review cannot be paused", "started_on")
        last = review.pauses.order_by("-ended_on").first()
        if last and last.ended_on and started_on < last.ended_on:
            raise ReviewError(f"The pause must start on or after the last pause ended ({long_date(last.ended_on)})",
                              "started_on")
        pause = Pause.objects.create(review=review, started_on=started_on, reason=reason.strip(), started_by=by)
        audit_record(by=by, action="review.paused", obj=review, detail={"started_on": started_on.isoformat()})
    return pause


def pause_end(*, by, pause: Pause, ended_on: date) -> Pause:
    if ended_on < pause.started_on:
        raise ReviewError(f"The pause cannot end before it started ({long_date(pause.started_on)})", "ended_on")
    _not_future(ended_on, "The date the pause ended", "ended_on")
    with transaction.atomic():
        lock_review(pause.review)
        pause = Pause.objects.get(pk=pause.pk)
        if pause.ended_on:
            raise ReviewError("This pause has already ended", "ended_on")
        pause.ended_on, pause.ended_by = ended_on, by
        pause.save()
        audit_record(by=by, action="review.resumed", obj=pause.review,
                     detail={"ended_on": ended_on.isoformat(), "interim_points": pause.points.count()})
    return pause


def interim_point_add(*, by, review: Review, kind: str, text: str, agency, recorded_on: date) -> InterimPoint:
    if agency is not None and agency.board_id != review.board_id:
        raise ReviewError("Choose an agency of this board", "agency")
    if recorded_on < review.initiated_on:
        raise ReviewError(f"The date must be on or after the review started ({long_date(review.initiated_on)})",
                          "recorded_on")
    _not_future(recorded_on, "The date recorded", "recorded_on")
    if not text.strip():
        raise ReviewError("Describe the point or the action", "text")
    with transaction.atomic():
        review = lock_review(review)
        point = InterimPoint.objects.create(
            review=review, pause=review.pauses.filter(ended_on__isnull=True).first(), kind=kind, text=text.strip(),
            agency=agency, recorded_on=recorded_on, recorded_by=by)
        audit_record(by=by, action="review.interim_point_added", obj=review, detail={"kind": kind})
    return point
