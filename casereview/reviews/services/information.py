"""Agency information: requests to agencies and their returns."""

from datetime import date

from django.db import transaction

from casereview.audit.services import audit_record
from casereview.lib.formats import long_date

from ..models import AgencyRequest, Review
from .base import ReviewError, _not_future, lock_review


def agency_request_add(*, by, review: Review, agency, what: str, requested_on: date, due_on: date) -> AgencyRequest:
    if not review.case.case_agencies.filter(agency=agency).exists() and \
            not review.agencies_in_scope.filter(pk=agency.pk).exists():
        raise ReviewError(f"{agency} is not involved in the case or in the review's scope", "agency")
    if due_on <= requested_on:
        raise ReviewError("The deadline must be after the date of the request", "due_on")
    _not_future(requested_on, "The date of the request", "requested_on")
    if not what.strip():
        raise ReviewError("Say what the agency is asked for", "what")
    with transaction.atomic():
        review = lock_review(review)
        if review.agency_requests.filter(agency=agency, returned_on__isnull=True).exists():
            raise ReviewError(f"{agency} already has a request waiting for its return", "agency")
        request = AgencyRequest.objects.create(review=review, agency=agency, what=what.strip(),
                                               requested_on=requested_on, due_on=due_on, requested_by=by)
        audit_record(by=by, action="review.agency_request_sent", obj=review,
                     detail={"agency": agency.short_code, "due_on": due_on.isoformat()})
    return request


def agency_request_returned(*, by, request: AgencyRequest, returned_on: date, note: str) -> AgencyRequest:
    if returned_on < request.requested_on:
        raise ReviewError(f"The return cannot be before the request ({long_date(request.requested_on)})", "returned_on")
    _not_future(returned_on, "The date returned", "returned_on")
    with transaction.atomic():
        lock_review(request.review)
        request = AgencyRequest.objects.select_related("agency", "review").get(pk=request.pk)
        if request.returned_on:
            raise ReviewError("This return has already been recorded", "returned_on")
        request.returned_on, request.return_note, request.returned_recorded_by = returned_on, note.strip(), by
        request.save()
        audit_record(by=by, action="review.agency_request_returned", obj=request.review,
                     detail={"agency": request.agency.short_code, "returned_on": returned_on.isoformat(),
                             "late": returned_on > request.due_on})
    return request


