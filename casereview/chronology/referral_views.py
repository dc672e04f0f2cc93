"""Pages for chronologies asked for at referral stage (see referral_stage.py): the business unit asks agencies
and reads what they return; an agency writes and its safeguarding lead submits, as for a review."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from casereview.core.access import allowed_if
from casereview.core.forms import apply_service
from casereview.lib.dates import today
from casereview.partnership.models import Agency
from casereview.partnership.selectors import agencies_without_recipient

from . import referral_stage as stage
from . import services
from .forms import EntryForm, ReferralRequestForm, SubmitForm
from .models import ChronologyEntry
from .permissions import can_manage_requests, can_read_referral_chronologies, can_submit, can_write_entries


def _posted(request):
    return request.POST if request.method == "POST" else None


@allowed_if(can_read_referral_chronologies)
def referral_requests(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The board-wide roles read what agencies returned; only the business unit asks."""
    referral = stage.referral_for_requests(request.user, referral_id)
    may_ask = can_manage_requests(request.user)
    if request.method == "POST" and not may_ask:
        raise PermissionDenied
    requests = list(stage.referral_requests(referral))
    asked = [r.agency_id for r in requests]
    agencies = Agency.objects.filter(board_id=referral.board_id, active=True).exclude(pk__in=asked).order_by("name")
    involved = list(referral.case.case_agencies.exclude(agency_id__in=asked).values_list("agency_id", flat=True))
    form = ReferralRequestForm(_posted(request), agencies=agencies,
                               initial={"agencies": involved, "deadline": stage.default_deadline(referral)})
    if request.method == "POST":
        ok, created = apply_service(form, lambda: stage.referral_requests_create(
            by=request.user, referral=referral, agencies=list(form.cleaned_data["agencies"]),
            deadline=form.cleaned_data["deadline"]))
        if ok:
            messages.success(request, f"Chronolog{'y' if created == 1 else 'ies'} requested from {created} "
                                      f"agenc{'y' if created == 1 else 'ies'}")
            return redirect("chronology:referral_requests", referral_id=referral.pk)
    day = today()
    return render(request, "chronology/referral_requests.html", {
        "referral": referral, "form": form, "can_ask": may_ask and referral.status in stage.CONSIDERED and agencies.exists(),
        "rows": [(r, *r.display_status(day)) for r in requests],
        "entries": stage.returned_entries(referral), "no_recipient": agencies_without_recipient(agencies),
    })


@allowed_if(can_write_entries)
def referral_agency(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, agency_request = stage.referral_for_agency(request.user, referral_id)
    draft = stage.draft_for(referral, request.user.agency_id)
    entries = draft.entries.order_by(*ChronologyEntry.ORDERING) if draft else ChronologyEntry.objects.none()
    return render(request, "chronology/referral_agency.html", {
        "referral": referral, "agency_request": agency_request, "status": agency_request.display_status(),
        "draft": draft, "entries": entries, "can_submit": can_submit(request.user) and draft is not None})


@allowed_if(can_write_entries)
def referral_entry_add(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, agency_request = stage.referral_for_agency(request.user, referral_id)
    draft = stage.draft_for(referral, request.user.agency_id)
    taken = set(draft.entries.values_list("event_ref", flat=True)) if draft else set()
    form = EntryForm(_posted(request), people=referral.case.people.all(), taken_refs=taken)
    if request.method == "POST" and form.is_valid():
        ok, entry = apply_service(form, stage.referral_entry_create, by=request.user, request=agency_request,
                                  details=form.entry_details())
        if ok:
            messages.success(request, f"Entry {entry.event_ref} added to your draft")
            if request.POST.get("then") == "another":
                return redirect("chronology:referral_entry_add", referral_id=referral.pk)
            return redirect("chronology:referral_agency", referral_id=referral.pk)
    return render(request, "chronology/referral_entry_form.html", {"referral": referral, "form": form,
                                                                   "agency": request.user.agency})


@allowed_if(can_write_entries)
def referral_entry_edit(request: HttpRequest, referral_id: int, entry_id: int) -> HttpResponse:
    referral, _ = stage.referral_for_agency(request.user, referral_id)
    entry = stage.draft_entry_for(request.user, referral, entry_id)
    taken = set(entry.version.entries.exclude(pk=entry.pk).values_list("event_ref", flat=True))
    form = EntryForm(_posted(request), initial=EntryForm.initial_for(entry), people=referral.case.people.all(),
                     taken_refs=taken)
    if request.method == "POST" and form.is_valid():
        ok, _ = apply_service(form, services.entry_update, by=request.user, entry=entry,
                              details=form.entry_details(), edit_version=form.cleaned_data["version"])
        if ok:
            messages.success(request, f"Entry {entry.event_ref} saved")
            return redirect("chronology:referral_agency", referral_id=referral.pk)
    return render(request, "chronology/referral_entry_form.html", {"referral": referral, "form": form,
                                                                   "entry": entry, "agency": request.user.agency})


@allowed_if(can_write_entries)
def referral_entry_delete(request: HttpRequest, referral_id: int, entry_id: int) -> HttpResponse:
    referral, _ = stage.referral_for_agency(request.user, referral_id)
    entry = stage.draft_entry_for(request.user, referral, entry_id)
    if request.method == "POST":
        ref = entry.event_ref
        services.entry_delete(by=request.user, entry=entry)
        messages.success(request, f"Entry {ref} deleted from your draft")
        return redirect("chronology:referral_agency", referral_id=referral.pk)
    return render(request, "chronology/referral_entry_delete.html", {"referral": referral, "entry": entry})


@allowed_if(can_submit)
def referral_submit(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral, agency_request = stage.referral_for_agency(request.user, referral_id)
    draft = stage.draft_for(referral, request.user.agency_id)
    form = SubmitForm(_posted(request))
    if request.method == "POST":
        ok, version = apply_service(form, stage.referral_version_submit, by=request.user, request=agency_request)
        if ok:
            messages.success(request, f"Chronology submitted for referral {referral.reference}: "
                                      f"{version.entry_count} entr{'y' if version.entry_count == 1 else 'ies'}")
            return redirect("chronology:referral_agency", referral_id=referral.pk)
    entries = draft.entries.order_by(*ChronologyEntry.ORDERING) if draft else ChronologyEntry.objects.none()
    return render(request, "chronology/referral_submit.html", {"referral": referral, "form": form, "draft": draft,
                                                               "entries": entries})
