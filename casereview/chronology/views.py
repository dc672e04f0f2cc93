"""Chronology pages. Scope comes from selectors (404 outside it); roles from permissions (403)."""

from __future__ import annotations

import io
from collections import Counter
from urllib.parse import urlencode

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from casereview.audit.services import audit_access
from casereview.core.access import allowed_if
from casereview.core.concurrency import version_initial
from casereview.core.forms import apply_service, refuse
from casereview.lib.chrono_dates import ACCEPTED_DATE_FORMATS, ACCEPTED_TIME_FORMATS
from casereview.lib.chronology_fields import FIELDS
from casereview.lib.office import DEFAULT_MARKING
from casereview.partnership.selectors import agencies_without_recipient

from . import analysis, export_jobs, exports, import_jobs, selectors, services, timeline
from .display import AGENCY_COLOURS, Anonymiser, agency_palette, child_age
from .forms import (
    ChasingForm,
    CommentForm,
    EntryForm,
    ExportForm,
    FilterForm,
    GapForm,
    MappingForm,
    RequestForm,
    SavedViewForm,
    SendBackForm,
    SubmitForm,
    TagForm,
    UploadForm,
)
from .models import (
    SIGNIFICANCE_QUESTIONS,
    SPE_PRINCIPLES,
    ChronologyEntry,
    ChronologyRequest,
    ChronologyVersion,
    EntryStar,
    EventType,
    ExportJob,
    ImportJob,
)
from .permissions import (
    can_accept,
    can_decide_duplicates,
    can_manage_requests,
    can_submit,
    can_use_chronologies,
    can_write_entries,
    is_review_group,
)
from .values import sort_number


def _posted(request):
    """The submitted data of a POST (even an empty one), so that an empty form shows its errors."""
    return request.POST if request.method == "POST" else None


# --- Lists and overview -----------------------------------------------------------------------------------


@allowed_if(can_use_chronologies)
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    reviews = list(selectors.chronology_reviews_for(user))
    rows = []
    for review in reviews:
        requests = list(selectors.requests_for(review))
        mine = next((r for r in requests if r.agency_id == user.agency_id), None) if can_write_entries(user) else None
        returned = sum(r.status in (ChronologyRequest.Status.SUBMITTED, ChronologyRequest.Status.ACCEPTED)
                       for r in requests)
        overdue = sum(r.is_overdue() for r in requests)
        not_delivered = sum(r.not_delivered for r in requests)
        rows.append({"review": review, "asked": len(requests), "returned": returned, "overdue": overdue,
                     "not_delivered": not_delivered, "mine": mine})
    return render(request, "chronology/index.html", {"rows": rows})


def _agency_rows(review, user=None):
    """One row per agency asked, with the actions this person may take on it (computed here, not in the
    template): "decide" (accept or send back its submitted chronology) or "chase"."""
    versions = selectors.versions_for(review)
    latest: dict[int, ChronologyVersion] = {}
    accepted: dict[int, ChronologyVersion] = {}
    for version in versions:
        if version.state in (ChronologyVersion.State.SUBMITTED, ChronologyVersion.State.ACCEPTED):
            latest.setdefault(version.agency_id, version)
        if version.state == ChronologyVersion.State.ACCEPTED:
            accepted.setdefault(version.agency_id, version)
    open_statuses = (ChronologyRequest.Status.REQUESTED, ChronologyRequest.Status.IN_PROGRESS)
    rows = []
    for r in selectors.requests_for(review):
        row = {"request": r, "status": r.display_status(), "latest": latest.get(r.agency_id),
               "accepted": accepted.get(r.agency_id), "actions": []}
        if user is not None and can_accept(user) and row["latest"] is not None and (
                row["latest"].state == ChronologyVersion.State.SUBMITTED):
            row["actions"].append("decide")
        elif user is not None and can_manage_requests(user) and r.status in open_statuses:
            row["actions"].append("chase")
        rows.append(row)
    return rows


@allowed_if(can_use_chronologies)
def review_overview(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_for_user(request.user, review_id)
    if not is_review_group(request.user):
        return redirect("chronology:agency", review_id=review.pk)
    rows = _agency_rows(review, request.user)
    return render(request, "chronology/review.html", {
        "review": review, "rows": rows, "settings": selectors.settings_for(review),
        "returned": sum(1 for r in rows if r["latest"]), "overdue": sum(1 for r in rows if r["request"].is_overdue()),
        "not_delivered": [r["request"].agency for r in rows if r["request"].not_delivered],
        "delivered_count": sum(1 for r in rows if not r["request"].not_delivered),
        # Agencies whose request was delivered but where nobody could receive a chase now (people have left).
        "unreachable": agencies_without_recipient(
            [r["request"].agency for r in rows if "chase" in r["actions"] and not r["request"].not_delivered]),
        "can_manage": can_manage_requests(request.user), "can_accept": can_accept(request.user),
        "accepted_count": selectors.merged_base(review).count(),
        "is_agency": can_write_entries(request.user) and any(
            r["request"].agency_id == request.user.agency_id for r in rows),
    })


# --- Requests and chasing (Business Manager) ----------------------------------------------------------------


@allowed_if(can_manage_requests)
def request_agencies(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    settings = selectors.settings_for(review)
    agencies = review.case.agencies.order_by("name")
    asked = set(review.chronology_requests.values_list("agency_id", flat=True))
    form = RequestForm(request.POST if request.POST.get("form") == "request" else None, agencies=agencies,
                       initial={"agencies": [a for a in agencies if a.pk not in asked] or None,
                                "note": settings.instructions_note})
    chasing = ChasingForm(request.POST if request.POST.get("form") == "chasing" else None,
                          initial={"remind_days_before": settings.remind_days_before,
                                   "chase_every_days": settings.chase_every_days, **version_initial(settings)})
    if request.method == "POST":
        if request.POST.get("form") == "request" and form.is_valid():
            created = services.requests_create(by=request.user, review=review, agencies=list(form.cleaned_data[
                "agencies"]), deadline=form.cleaned_data["deadline"], note=form.cleaned_data["note"])
            chosen = list(form.cleaned_data["agencies"])
            missed = [r.agency.name for r in review.chronology_requests.filter(agency__in=chosen)
                      .select_related("agency").order_by("agency__name") if r.not_delivered]
            sent = len(chosen) - len(missed)
            text = (f"Asked {sent} agenc{'ies' if sent != 1 else 'y'} for their chronology "
                    f"({created} new request{'s' if created != 1 else ''})")
            if missed:
                text += (f". Not delivered to {', '.join(missed)}: nobody there is set up to receive it. Add a "
                         "safeguarding lead or author for the agency, then chase the request to send it")
            (messages.warning if missed else messages.success)(request, text)
            return redirect("chronology:review", review_id=review.pk)
        if request.POST.get("form") == "chasing" and chasing.is_valid():
            ok, _ = apply_service(chasing, services.chronology_settings_update, by=request.user, review=review,
                                  **chasing.cleaned_data)
            if ok:
                messages.success(request, "Chasing settings saved")
                return redirect("chronology:review", review_id=review.pk)
    return render(request, "chronology/requests.html", {
        "review": review, "form": form, "chasing": chasing, "forms": [chasing], "has_agencies": agencies.exists(),
        "no_recipient": agencies_without_recipient(agencies)})


@allowed_if(can_manage_requests)
@require_POST
def request_chase(request: HttpRequest, review_id: int, request_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    chronology_request = review.chronology_requests.filter(pk=request_id).select_related("agency").first()
    if chronology_request is None:
        raise Http404("No such request")
    if chronology_request.status not in (ChronologyRequest.Status.REQUESTED, ChronologyRequest.Status.IN_PROGRESS):
        messages.error(request, f"{chronology_request.agency.name} has already returned its chronology")
        return redirect("chronology:review", review_id=review.pk)
    sent = services.request_chase(by=request.user, request=chronology_request)
    if sent:
        messages.success(request, f"Chased {chronology_request.agency.name}: {sent} email{'s' if sent != 1 else ''} "
                                  "queued")
    else:
        messages.error(request, f"Not delivered: {chronology_request.agency.name} has no active safeguarding lead "
                                "or author with an email address. Add a person for the agency, then chase again")
    return redirect("chronology:review", review_id=review.pk)


# --- Instructions and template --------------------------------------------------------------------------------

FIELD_GUIDANCE = {
    "event_ref": "Your own reference for the event. Leave blank and CaseReview numbers the events.",
    "start_date": f"When the event happened. Accepted: {ACCEPTED_DATE_FORMATS}.",
    "start_time": f"The time, if known: {ACCEPTED_TIME_FORMATS}.",
    "end_date": "Only for events that lasted more than a day. It cannot be before the start date.",
    "end_time": "The end time, if known.",
    "source": "Where the information comes from: the record, system or person. Required for every event.",
    "practitioner_role": "The role of the practitioner involved, not their name.",
    "people_involved": "Who was involved, using the case glossary labels below (for example 'Child J, Mother'), "
                       "separated by commas.",
    "event_type": "One of: " + "; ".join(label for _, label in EventType.choices) + ".",
    "description": "What happened: facts, not opinion. Required for every event.",
    "risk": SPE_PRINCIPLES[0][2], "response": SPE_PRINCIPLES[1][2], "partnership": SPE_PRINCIPLES[2][2],
    "learning": SPE_PRINCIPLES[3][2],
    "good_practice": "Y if the event is an example of good practice.",
    "key_practice_episode": "Y if the event is a key practice episode.",
}
for _name, _label, _question in SIGNIFICANCE_QUESTIONS:
    FIELD_GUIDANCE[_name] = f"Y or N: {_question}"


def _instructions_context(review, agency_request=None):
    return {"review": review, "settings": selectors.settings_for(review),
            "columns": [(f.heading, f.mandatory, FIELD_GUIDANCE.get(f.name, "")) for f in FIELDS],
            "principles": SPE_PRINCIPLES, "questions": SIGNIFICANCE_QUESTIONS, "people": review.case.people.all(),
            "agency_request": agency_request}


@allowed_if(can_use_chronologies)
def instructions(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_for_user(request.user, review_id)
    mine = review.chronology_requests.filter(agency_id=request.user.agency_id).first() \
        if can_write_entries(request.user) else None
    return render(request, "chronology/instructions.html", _instructions_context(review, mine))


@allowed_if(can_use_chronologies)
def template_download(request: HttpRequest, review_id: int) -> HttpResponse:
    from .template_workbook import build_template

    review = selectors.review_for_user(request.user, review_id)
    data = build_template(review, FIELD_GUIDANCE)
    services_audit_download(request.user, review, "chronology.template_downloaded")
    return FileResponse(io.BytesIO(data), as_attachment=True,
                        filename=f"chronology-template-{review.reference}.xlsx",
                        content_type=exports.FORMATS["xlsx"][0])


@allowed_if(can_use_chronologies)
def template_docx(request: HttpRequest, review_id: int) -> HttpResponse:
    from .template_workbook import build_word_template

    review = selectors.review_for_user(request.user, review_id)
    data = build_word_template(review, FIELD_GUIDANCE)
    services_audit_download(request.user, review, "chronology.template_downloaded", format="docx")
    return FileResponse(io.BytesIO(data), as_attachment=True,
                        filename=f"chronology-template-{review.reference}.docx",
                        content_type=exports.FORMATS["docx"][0])


def services_audit_download(user, review, action: str, **detail) -> None:
    audit_access(by=user, action=action, obj=review, detail=detail)


# --- The agency's workspace ------------------------------------------------------------------------------------


@allowed_if(can_use_chronologies)
def agency_workspace(request: HttpRequest, review_id: int) -> HttpResponse:
    review, agency_request = selectors.review_for_agency(request.user, review_id)
    draft = selectors.draft_for(review, request.user.agency_id)
    all_entries = draft.entries.order_by(*ChronologyEntry.ORDERING) if draft else ChronologyEntry.objects.none()
    page = selectors.entries_page(all_entries, request.GET.get("page"))
    versions = [v for v in selectors.versions_for(review, request.user.agency_id)
                if v.state != ChronologyVersion.State.DRAFT]
    latest = selectors.latest_returned(review, request.user.agency_id)
    imports = [(job, job.status == ImportJob.Status.MAPPING) for job in ImportJob.objects.filter(
        review=review, agency_id=request.user.agency_id).exclude(
        status__in=[ImportJob.Status.DONE, ImportJob.Status.EXPIRED])[:3]]
    return render(request, "chronology/agency.html", {
        "review": review, "agency_request": agency_request, "status": agency_request.display_status(),
        "draft": draft, "entries": page.object_list, "page": page, "total": page.paginator.count,
        "versions": versions, "latest": latest, "quality_missing": selectors.quality_missing_count(all_entries),
        "can_submit": can_submit(request.user), "imports": imports,
    })


@allowed_if(can_write_entries)
@require_POST
def draft_start(request: HttpRequest, review_id: int) -> HttpResponse:
    review, _ = selectors.review_for_agency(request.user, review_id)
    latest = selectors.latest_returned(review, request.user.agency_id)
    copy = latest if request.POST.get("copy") == "yes" else None
    services.draft_start(by=request.user, review=review, agency=request.user.agency, copy_from=copy)
    messages.success(request, "New draft started" + (f", copied from version {copy.number}" if copy else ""))
    return redirect("chronology:agency", review_id=review.pk)


def _entry_form(request, review, entry=None):
    draft = selectors.draft_for(review, request.user.agency_id)
    taken = set(draft.entries.exclude(pk=entry.pk if entry else None).values_list("event_ref", flat=True)) \
        if draft else set()
    initial = EntryForm.initial_for(entry) if entry else None
    return EntryForm(_posted(request), initial=initial, people=review.case.people.all(), taken_refs=taken)


@allowed_if(can_write_entries)
def entry_add(request: HttpRequest, review_id: int) -> HttpResponse:
    review, agency_request = selectors.review_for_agency(request.user, review_id)
    form = _entry_form(request, review)
    if request.method == "POST" and form.is_valid():
        entry = services.entry_create(by=request.user, review=review, details=form.entry_details())
        messages.success(request, f"Entry {entry.event_ref} added to your draft")
        if request.POST.get("then") == "another":
            return redirect("chronology:entry_add", review_id=review.pk)
        return redirect("chronology:agency", review_id=review.pk)
    return render(request, "chronology/entry_form.html", {"review": review, "form": form, "entry": None,
                                                          "agency": request.user.agency})


@allowed_if(can_write_entries)
def entry_edit(request: HttpRequest, review_id: int, entry_id: int) -> HttpResponse:
    review, _ = selectors.review_for_agency(request.user, review_id)
    entry = selectors.draft_entry_for(request.user, review, entry_id)
    form = _entry_form(request, review, entry)
    if request.method == "POST":
        ok, _ = apply_service(form, lambda: services.entry_update(
            by=request.user, entry=entry, details=form.entry_details(), edit_version=form.cleaned_data["version"]))
        if ok:
            messages.success(request, f"Entry {entry.event_ref} saved")
            return redirect("chronology:agency", review_id=review.pk)
    return render(request, "chronology/entry_form.html", {"review": review, "form": form, "entry": entry,
                                                          "agency": request.user.agency})


@allowed_if(can_write_entries)
def entry_delete(request: HttpRequest, review_id: int, entry_id: int) -> HttpResponse:
    review, _ = selectors.review_for_agency(request.user, review_id)
    entry = selectors.draft_entry_for(request.user, review, entry_id)
    if request.method == "POST":
        ref = entry.event_ref
        services.entry_delete(by=request.user, entry=entry)
        messages.success(request, f"Entry {ref} deleted from your draft")
        return redirect("chronology:agency", review_id=review.pk)
    return render(request, "chronology/entry_delete.html", {"review": review, "entry": entry})


@allowed_if(can_submit)
def submit(request: HttpRequest, review_id: int) -> HttpResponse:
    review, _ = selectors.review_for_agency(request.user, review_id)
    draft = selectors.draft_for(review, request.user.agency_id)
    if draft is None:
        messages.error(request, "There is no draft to submit: add entries or upload a spreadsheet first")
        return redirect("chronology:agency", review_id=review.pk)
    all_entries = draft.entries.order_by(*ChronologyEntry.ORDERING)
    form = SubmitForm(_posted(request))
    if request.method == "POST":
        ok, version = apply_service(form, services.version_submit, by=request.user, version=draft)
        if ok:
            count = version.entry_count
            messages.success(request, f"Chronology submitted for review {review.reference}: {count} "
                                      f"entr{'y' if count == 1 else 'ies'}")
            return redirect("chronology:agency", review_id=review.pk)
    page = selectors.entries_page(all_entries, request.GET.get("page"))
    return render(request, "chronology/submit.html", {
        "review": review, "draft": draft, "entries": page.object_list, "page": page, "form": form,
        "total": page.paginator.count, "incomplete": selectors.quality_missing_count(all_entries),
    })


# --- Import -------------------------------------------------------------------------------------------------


@allowed_if(can_write_entries)
def import_upload(request: HttpRequest, review_id: int) -> HttpResponse:
    review, agency_request = selectors.review_for_agency(request.user, review_id)
    form = UploadForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST":
        ok, job = apply_service(form, import_jobs.import_job_create, by=request.user, review=review,
                                agency=agency_request.agency, upload=request.FILES.get("file"))
        if ok:
            return redirect("chronology:import_status", review_id=review.pk, job_id=job.pk)
    return render(request, "chronology/import_upload.html", {"review": review, "form": form})


@allowed_if(can_write_entries)
def import_mapping(request: HttpRequest, review_id: int, job_id: int) -> HttpResponse:
    review, _ = selectors.review_for_agency(request.user, review_id)
    job = selectors.import_job_for(request.user, review, job_id)
    if job.status != ImportJob.Status.MAPPING:
        return redirect("chronology:import_status", review_id=review.pk, job_id=job.pk)
    suggested = {int(k): v for k, v in job.mapping.items()}
    existing = import_jobs.draft_entry_count(review, request.user.agency_id)
    form = MappingForm(_posted(request), headings=job.headings, samples=job.samples, suggested=suggested,
                       draft_entries=existing)
    if request.method == "POST" and form.is_valid():
        ok, _ = apply_service(form, import_jobs.import_job_confirm, by=request.user, job=job,
                              mapping=form.mapping(), mode=form.cleaned_data.get("mode") or None)
        if ok:
            return redirect("chronology:import_status", review_id=review.pk, job_id=job.pk)
    recognised = sum(1 for v in suggested.values() if v)
    return render(request, "chronology/import_mapping.html", {"review": review, "job": job, "form": form,
                                                              "recognised": recognised, "existing": existing})


def _job_state(job: ImportJob) -> dict:
    from .importing import progress_read

    progress = progress_read(job.pk) if not job.finished else {}
    total = progress.get("total") or job.rows_total
    done = progress.get("done", job.rows_done)
    percent = 100 if job.status == ImportJob.Status.DONE else (min(99, int(done * 100 / total)) if total else 0)
    stage = {ImportJob.Status.DONE: "done", ImportJob.Status.FAILED: "stopped" if job.stalled else "failed",
             ImportJob.Status.EXPIRED: "expired"}.get(job.status, "working")
    return {"status": job.status, "label": job.get_status_display(), "done": done, "total": total,
            "percent": percent, "finished": job.finished or job.status == ImportJob.Status.MAPPING,
            "stage": stage, "reading": job.status == ImportJob.Status.READING}


@allowed_if(can_write_entries)
def import_status(request: HttpRequest, review_id: int, job_id: int) -> HttpResponse:
    review, _ = selectors.review_for_agency(request.user, review_id)
    job = selectors.import_job_for(request.user, review, job_id)
    if job.status == ImportJob.Status.MAPPING:
        return redirect("chronology:import_mapping", review_id=review.pk, job_id=job.pk)
    return render(request, "chronology/import_status.html", {
        "review": review, "job": job, "state": _job_state(job),
        "actions": import_jobs.available_import_actions(request.user, job)})


def _without_extending_the_session(request: HttpRequest) -> None:
    """A page that polls is not someone using the service: its requests must not keep an idle session alive.
    The session is not saved, so its expiry stays where the person's last real request put it."""
    session = getattr(request, "session", None)
    if session is not None:
        session.save = lambda must_create=False: None


@allowed_if(can_write_entries)
def import_status_json(request: HttpRequest, review_id: int, job_id: int) -> JsonResponse:
    _without_extending_the_session(request)
    review, _ = selectors.review_for_agency(request.user, review_id)
    job = selectors.import_job_for(request.user, review, job_id)
    return JsonResponse(_job_state(job))


@allowed_if(can_write_entries)
@require_POST
def import_retry(request: HttpRequest, review_id: int, job_id: int) -> HttpResponse:
    review, _ = selectors.review_for_agency(request.user, review_id)
    job = selectors.import_job_for(request.user, review, job_id)
    try:
        import_jobs.import_job_retry(by=request.user, job=job)
    except services.ChronologyError as error:
        refuse(request, error)
    return redirect("chronology:import_status", review_id=review.pk, job_id=job.pk)


# --- Versions: view, accept, send back ---------------------------------------------------------------------------


@allowed_if(can_use_chronologies)
def version_detail(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = selectors.review_for_user(request.user, review_id)
    own = None if is_review_group(request.user) else request.user.agency_id
    version = selectors.version_for(review, version_id, agency_id=own)
    if version.state == ChronologyVersion.State.DRAFT and own is None and request.user.agency_id != version.agency_id:
        raise Http404("No such version")
    all_entries = version.entries.order_by(*ChronologyEntry.ORDERING)
    page = selectors.entries_page(all_entries, request.GET.get("page"))
    audit_access(by=request.user, action="chronology.version_viewed", obj=version, board_id=review.board_id,
                 detail={"page": page.number})
    return render(request, "chronology/version.html", {
        "review": review, "version": version, "entries": page.object_list, "page": page,
        "total": page.paginator.count, "actions": selectors.version_actions(request.user, version),
        "quality_missing": selectors.quality_missing_count(all_entries),
    })


@allowed_if(can_write_entries)
@require_POST
def version_restore(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review, _ = selectors.review_for_agency(request.user, review_id)
    version = selectors.version_for(review, version_id, agency_id=request.user.agency_id)
    try:
        draft = services.version_restore(by=request.user, version=version)
    except services.ChronologyError as error:
        refuse(request, error)
        return redirect("chronology:version", review_id=review.pk, version_id=version.pk)
    messages.success(request, f"Version {version.number} is your draft again ({draft.entry_count} "
                              f"entr{'y' if draft.entry_count == 1 else 'ies'}); the draft it replaced is kept as "
                              "an earlier version")
    return redirect("chronology:agency", review_id=review.pk)


@allowed_if(can_accept)
@require_POST
def version_accept(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    version = selectors.version_for(review, version_id)
    try:
        services.version_accept(by=request.user, version=version)
    except services.ChronologyError as error:
        refuse(request, error)
    else:
        messages.success(request, f"Accepted {version.agency.name}'s chronology (version {version.number}): it is now "
                                  "in the merged chronology")
    return redirect("chronology:review", review_id=review.pk)


@allowed_if(can_accept)
def version_send_back(request: HttpRequest, review_id: int, version_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    version = selectors.version_for(review, version_id)
    form = SendBackForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.version_send_back(by=request.user, version=version, reason=form.cleaned_data["reason"])
        except services.ChronologyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Sent {version.agency.name}'s chronology back for changes")
            return redirect("chronology:review", review_id=review.pk)
    return render(request, "chronology/send_back.html", {"review": review, "version": version, "form": form})


# --- The merged chronology --------------------------------------------------------------------------------------


FILTER_KEYS = ("agency", "date_from", "date_to", "person", "event_type", "question", "marked", "q", "dup",
               "include_submitted", "names")


def _filters(request, review):
    agencies = [r.agency for r in selectors.requests_for(review)]
    people = list(review.case.people.all())
    data = request.GET if any(key in request.GET for key in FILTER_KEYS) else None
    form = FilterForm(data, agencies=agencies, people=people)
    filters = selectors.Filters()
    used: list[str] = []
    if data is not None and form.is_valid():
        data = form.cleaned_data
        filters = selectors.Filters(
            agencies=[int(a) for a in data["agency"]],
            date_from=sort_number(data["date_from"].__class__(data["date_from"].year, data["date_from"].month,
                                                               data["date_from"].day, False))
            if data["date_from"] else None,
            date_to=_end_of(data["date_to"]) if data["date_to"] else None,
            people=[int(p) for p in data["person"]], event_types=list(data["event_type"]),
            questions=list(data["question"]), flagged="flagged" in data["marked"],
            good_practice="good_practice" in data["marked"], key_practice_episode="kpe" in data["marked"],
            text=data["q"], duplicate_group=data["dup"], include_submitted=data["include_submitted"])
        used = [key for key in FILTER_KEYS if key not in ("names",) and data.get(key)]
    anonymised = request.GET.get("names") == "anonymised"
    query = urlencode([(k, v) for k in FILTER_KEYS for v in request.GET.getlist(k) if v], doseq=False)
    return form, filters, used, anonymised, query, agencies, people


def _end_of(value) -> int:
    """The largest sort number inside a fuzzy date (a month's last day), so "to March 2014" includes March."""
    return sort_number(value.__class__(value.year, value.month, value.day, False)) + (
        (12 * 1000 + 31 * 10 + 9) if value.month is None else (31 * 10 + 9) if value.day is None else 9)


def _decorate(review, entries, *, anonymised: bool, palette: dict, include_submitted: bool):
    people = list(review.case.people.all())
    anonymise = Anonymiser(people) if anonymised else (lambda text: text)
    child = next((p for p in people if p.relationship == "subject_child"), None)
    dob = child.date_of_birth if child else None
    ids = [e.pk for e in entries]
    stars = Counter(EntryStar.objects.filter(entry_id__in=ids).values_list("entry_id", flat=True))
    groups = {e.duplicate_group for e in entries if e.duplicate_group}
    group_sizes: Counter[int] = Counter()
    if groups:
        # Read through the duplicates index, then keep the members in the set on screen.
        flag = "current_returned" if include_submitted else "current_accepted"
        for group, included in ChronologyEntry.objects.filter(
                review=review, duplicate_group__isnull=False, duplicate_group__in=groups).values_list(
                "duplicate_group", flag):
            if included:
                group_sizes[group] += 1
    entry_url = reverse("chronology:entry", args=[review.pk, 0]).removesuffix("0/")
    rows = []
    for entry in entries:
        names = [p.anonymised_label if anonymised else p.full_name for p in entry.people.all()]
        if entry.people_text:
            names.append(anonymise(entry.people_text))
        rows.append({
            "entry": entry, "date": entry.start.display(), "time": entry.start_time, "age": child_age(dob, entry.start),
            "colour": palette.get(entry.agency_code, 0), "description": anonymise(entry.description),
            "source": anonymise(entry.source), "people": ", ".join(names),
            "questions": entry.answered_questions(), "stars": stars.get(entry.pk, 0),
            "duplicate": analysis.duplicate_label(entry.duplicate_group)
            if group_sizes.get(entry.duplicate_group, 0) > 1 else "",
            "url": f"{entry_url}{entry.pk}/",
        })
    return rows


@allowed_if(can_use_chronologies)
def merged(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    analysis.ensure_analysis(review)
    form, filters, used, anonymised, query, agencies, people = _filters(request, review)
    entries = selectors.merged_entries(review, filters).select_related("agency").prefetch_related("people")
    page = selectors.page_of(entries, after=request.GET.get("after", ""), before=request.GET.get("before", ""),
                             cap_count=bool(filters.text))
    # Never the free-text filter in the audit trail: it may hold a name.
    audit_access(by=request.user, action="chronology.merged_viewed", obj=review, detail={
        "names": "anonymised" if anonymised else "named", "filters": sorted(used), "entries": len(page.entries)})
    palette = agency_palette(a.short_code for a in agencies)
    rows = _decorate(review, page.entries, anonymised=anonymised, palette=palette,
                     include_submitted=filters.include_submitted)
    query_named = urlencode([(k, v) for k in FILTER_KEYS for v in request.GET.getlist(k) if v and k != "names"])
    return render(request, "chronology/merged.html", {
        "review": review, "form": form, "forms": [], "rows": rows, "page": page, "query": query,
        "query_named": query_named, "anonymised": anonymised, "filtered": bool(used),
        "agencies": [(a, palette.get(a.short_code, 0)) for a in agencies],
        "saved_views": selectors.saved_views_for(review), "view_form": SavedViewForm(initial={"query": query}),
        "people": people, "colours": AGENCY_COLOURS,
        "child": next((p for p in people if p.relationship == "subject_child"), None),
    })


def _entry_context(request, review, entry, anonymised: bool) -> dict:
    palette = agency_palette(r.agency.short_code for r in selectors.requests_for(review))
    row = _decorate(review, [entry], anonymised=anonymised, palette=palette, include_submitted=True)[0]
    anonymise = Anonymiser(review.case.people.all()) if anonymised else (lambda text: text)
    same = []
    if entry.duplicate_group:
        same = list(selectors.merged_base(review, include_submitted=True).filter(
            duplicate_group=entry.duplicate_group).exclude(pk=entry.pk).select_related("agency"))
    return {
        "review": review, "entry": entry, "row": row, "anonymised": anonymised,
        "texts": [(label, anonymise(getattr(entry, field))) for field, label, _ in SPE_PRINCIPLES],
        "quality": entry.quality(), "tags": entry.tags.select_related("added_by"),
        "comments": entry.comments.select_related("author"),
        "stars": entry.stars.select_related("user"), "starred": entry.stars.filter(user=request.user).exists(),
        "tag_form": TagForm(), "comment_form": CommentForm(), "same": same,
    }


@allowed_if(can_use_chronologies)
def entry_detail(request: HttpRequest, review_id: int, entry_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    entry = selectors.merged_entry_for(review, entry_id)
    anonymised = request.GET.get("names") == "anonymised"
    audit_access(by=request.user, action="chronology.entry_viewed", obj=entry, board_id=review.board_id,
                 detail={"names": "anonymised" if anonymised else "named"})
    return render(request, "chronology/entry_detail.html", _entry_context(request, review, entry, anonymised))


def _back_to_entry(review, entry):
    return redirect(reverse("chronology:entry", args=[review.pk, entry.pk]))


@allowed_if(can_use_chronologies)
@require_POST
def entry_star(request: HttpRequest, review_id: int, entry_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    entry = selectors.merged_entry_for(review, entry_id)
    now = services.entry_star_toggle(by=request.user, entry=entry)
    messages.success(request, f"{'Flagged' if now else 'Removed your flag from'} entry {entry.event_ref}")
    return _back_to_entry(review, entry)


@allowed_if(can_use_chronologies)
@require_POST
def entry_tag(request: HttpRequest, review_id: int, entry_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    entry = selectors.merged_entry_for(review, entry_id)
    form = TagForm(request.POST)
    if form.is_valid():
        tag = services.entry_tag_add(by=request.user, entry=entry, tag=form.cleaned_data["tag"])
        messages.success(request, f"Tagged entry {entry.event_ref} '{tag.tag}'")
        return _back_to_entry(review, entry)
    return _entry_with_errors(request, review, entry, tag_form=form)


@allowed_if(can_use_chronologies)
@require_POST
def entry_tag_remove(request: HttpRequest, review_id: int, entry_id: int, tag_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    entry = selectors.merged_entry_for(review, entry_id)
    try:
        services.entry_tag_remove(by=request.user, entry=entry, tag_id=tag_id)
    except services.ChronologyError as error:
        refuse(request, error)
    else:
        messages.success(request, "Tag removed")
    return _back_to_entry(review, entry)


@allowed_if(can_use_chronologies)
@require_POST
def entry_comment(request: HttpRequest, review_id: int, entry_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    entry = selectors.merged_entry_for(review, entry_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.entry_comment_add(by=request.user, entry=entry, text=form.cleaned_data["text"])
        messages.success(request, "Comment added")
        return _back_to_entry(review, entry)
    return _entry_with_errors(request, review, entry, comment_form=form)


def _entry_with_errors(request, review, entry, **forms):
    context = _entry_context(request, review, entry, False)
    context.update(forms)
    context["forms"] = list(forms.values())
    return render(request, "chronology/entry_detail.html", context)


@allowed_if(can_use_chronologies)
@require_POST
def view_save(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    form = SavedViewForm(request.POST)
    if form.is_valid():
        query = form.cleaned_data["query"]
        services.saved_view_create(by=request.user, review=review, name=form.cleaned_data["name"], query=query)
        messages.success(request, f"View '{form.cleaned_data['name']}' saved for the review group")
        return redirect(reverse("chronology:merged", args=[review.pk]) + (f"?{query}" if query else ""))
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("chronology:merged", review_id=review.pk)


@allowed_if(can_use_chronologies)
@require_POST
def view_delete(request: HttpRequest, review_id: int, view_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    view = selectors.saved_views_for(review).filter(pk=view_id).first()
    if view is None:
        raise Http404("No such view")
    services.saved_view_delete(by=request.user, view=view)
    messages.success(request, f"View '{view.name}' deleted")
    return redirect("chronology:merged", review_id=review.pk)


# --- Analysis and timeline ---------------------------------------------------------------------------------------


@allowed_if(can_use_chronologies)
def analysis_page(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    analysis.ensure_analysis(review)
    settings = selectors.settings_for(review)
    include_submitted = request.GET.get("include_submitted") == "on"
    entries = selectors.merged_base(review, include_submitted=include_submitted)
    form = GapForm(_posted(request), initial={"gap_threshold_days": settings.gap_threshold_days,
                                              **version_initial(settings)})
    if request.method == "POST" and form.is_valid():
        ok, _ = apply_service(form, services.chronology_settings_update, by=request.user, review=review,
                              **form.cleaned_data)
        if ok:
            messages.success(request, f"Gaps longer than {form.cleaned_data['gap_threshold_days']} days are shown")
            return redirect("chronology:analysis", review_id=review.pk)
    agencies = [r.agency for r in selectors.requests_for(review)]
    palette = agency_palette(a.short_code for a in agencies)
    codes, per_period = analysis.events_per_agency(entries)
    return render(request, "chronology/analysis.html", {
        "review": review, "form": form, "settings": settings, "include_submitted": include_submitted,
        "duplicates": analysis.duplicate_groups(entries)[:200],
        "suggestions": analysis.suggested_duplicates(review, limit=50),
        "can_decide": can_decide_duplicates(request.user),
        "gaps": analysis.gaps(entries, settings.gap_threshold_days),
        "codes": codes, "per_period": per_period, "palette": palette,
        "knowledge": analysis.who_knew(entries, entries, agencies), "total": entries.count(),
    })


@allowed_if(can_decide_duplicates)
@require_POST
def duplicate_decide(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    try:
        entry_a = selectors.merged_entry_for(review, int(request.POST.get("a", "0")))
        entry_b = selectors.merged_entry_for(review, int(request.POST.get("b", "0")))
    except ValueError:
        raise Http404("No such entry") from None
    try:
        services.duplicate_decide(by=request.user, review=review, entry_a=entry_a, entry_b=entry_b,
                                  decision=request.POST.get("decision", ""))
    except services.ChronologyError as error:
        refuse(request, error)
    else:
        same = request.POST.get("decision") == "confirmed"
        messages.success(request, f"{entry_a.event_ref} and {entry_b.event_ref} marked as "
                                  f"{'the same event' if same else 'different events'}")
    return redirect(reverse("chronology:analysis", args=[review.pk]) + "#duplicates")


def timeline_svg(review, entries, settings, *, query: str = "") -> str:
    agencies = [r.agency for r in selectors.requests_for(review)]
    present = set(entries.values_list("agency_code", flat=True).distinct())
    lanes = [(a.short_code, a.name) for a in agencies if a.short_code in present]
    ids = {a.short_code: a.pk for a in agencies}
    flagged = set(EntryStar.objects.filter(entry__in=entries.values("pk")).values_list("entry_id", flat=True))
    entry_url = reverse("chronology:entry", args=[review.pk, 0]).removesuffix("0/")
    events = [(code, day, bool(kpe) or pk in flagged, f"{entry_url}{pk}/") for pk, code, day, kpe in
              entries.values_list("pk", "agency_code", "start_first_day", "key_practice_episode").iterator(
                  chunk_size=5000)]
    gaps = [(g.start, g.end) for g in analysis.gaps(entries, settings.gap_threshold_days)]
    merged_url = reverse("chronology:merged", args=[review.pk])

    def period_url(code, start, end) -> str:
        return f"{merged_url}?" + urlencode({"agency": ids.get(code, ""), "date_from": start.strftime("%d/%m/%Y"),
                                             "date_to": end.strftime("%d/%m/%Y")})

    return timeline.render(lanes=lanes, palette=agency_palette(a.short_code for a in agencies), events=events,
                           gaps=gaps, title=f"Timeline of the merged chronology of {review.reference}",
                           period_url=period_url)


def _zoom_links(request, entries) -> list[tuple[str, str, bool]]:
    """(label, query, current) for each year with events, to zoom the timeline to it (server-rendered)."""
    years = sorted(set(entries.values_list("start_year", flat=True).distinct()))
    kept = [(k, v) for k in FILTER_KEYS if k not in ("date_from", "date_to") for v in request.GET.getlist(k) if v]
    current = request.GET.get("date_from", "")
    links = [("Every year", urlencode(kept), not current)]
    links += [(str(year), urlencode([*kept, ("date_from", str(year)), ("date_to", str(year))]),
               current == str(year)) for year in years[:40]]
    return links


@allowed_if(can_use_chronologies)
def timeline_page(request: HttpRequest, review_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    form, filters, used, anonymised, query, agencies, people = _filters(request, review)
    entries = selectors.merged_entries(review, filters)
    settings = selectors.settings_for(review)
    all_entries = selectors.merged_entries(review, selectors.Filters(include_submitted=filters.include_submitted))
    present = set(entries.values_list("agency_code", flat=True).distinct())
    agencies = [r.agency for r in selectors.requests_for(review)]
    palette = agency_palette(a.short_code for a in agencies)
    # The lanes' agencies in full, as a key under the picture (on screen and on paper).
    key = [(a.short_code, a.name, palette[a.short_code]) for a in agencies if a.short_code in present]
    return render(request, "chronology/timeline.html", {
        "review": review, "svg": timeline_svg(review, entries, settings), "query": query, "filtered": bool(used),
        "total": entries.count(), "zoom": _zoom_links(request, all_entries), "agency_key": key,
        "marking": review.board.protective_marking or DEFAULT_MARKING,
    })


# --- Export --------------------------------------------------------------------------------------------------------


@allowed_if(can_use_chronologies)
def export(request: HttpRequest, review_id: int) -> HttpResponse:
    """Small exports download at once; anything larger than a page is written in the background."""
    review = selectors.review_for_group(request.user, review_id)
    form_filters, filters, used, anonymised, query, agencies, people = _filters(request, review)
    data = request.POST if request.method == "POST" else (request.GET if "format" in request.GET else None)
    form = ExportForm(data, initial={"names": "anonymised" if anonymised else "named", "format": "xlsx"})
    entries = selectors.merged_entries(review, filters)
    count = entries.count()
    large = count > selectors.PAGE_SIZE
    description = "Filtered view of the merged chronology" if used else "Merged chronology"
    if data is not None and form.is_valid():
        fmt = form.cleaned_data["format"]
        anonymised = form.cleaned_data["names"] == "anonymised"
        if not large:
            source = exports.ExportSource(review=review, entries=entries, anonymised=anonymised,
                                          description=description)
            buffer = io.BytesIO()
            exports.export_chronology(by=request.user, source=source, fmt=fmt, stream=buffer, filters_used=used)
            buffer.seek(0)
            return FileResponse(buffer, as_attachment=True,
                                filename=exports.export_filename(review, fmt, anonymised),
                                content_type=exports.FORMATS[fmt][0])
        if request.method == "POST":
            ok, job = apply_service(form, export_jobs.export_job_create, by=request.user, review=review, fmt=fmt,
                                    anonymised=anonymised, filters=filters, filters_used=used,
                                    description=description, total=count)
            if ok:
                return redirect("chronology:export_status", review_id=review.pk, job_id=job.pk)
    hidden = [(k, v) for k in FILTER_KEYS if k != "names" for v in request.GET.getlist(k) if v]
    return render(request, "chronology/export.html", {
        "review": review, "form": form, "hidden": hidden, "filtered": bool(used), "query": query,
        "count": count, "large": large,
    })


def _export_state(job: ExportJob) -> dict:
    return {"status": job.status, "label": job.get_status_display(), "done": job.rows_done,
            "total": job.rows_total, "percent": job.percent,
            "finished": job.status != ExportJob.Status.QUEUED and job.status != ExportJob.Status.RUNNING}


@allowed_if(can_use_chronologies)
def export_status(request: HttpRequest, review_id: int, job_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    job = selectors.export_job_for(request.user, review, job_id)
    state = _export_state(job)
    return render(request, "chronology/export_status.html", {
        "review": review, "job": job, "state": state,
        "ready": job.status == ExportJob.Status.DONE, "working": not state["finished"]})


@allowed_if(can_use_chronologies)
def export_status_json(request: HttpRequest, review_id: int, job_id: int) -> JsonResponse:
    _without_extending_the_session(request)
    review = selectors.review_for_group(request.user, review_id)
    return JsonResponse(_export_state(selectors.export_job_for(request.user, review, job_id)))


@allowed_if(can_use_chronologies)
def export_download(request: HttpRequest, review_id: int, job_id: int) -> HttpResponse:
    review = selectors.review_for_group(request.user, review_id)
    job = selectors.export_job_for(request.user, review, job_id)
    if job.status != ExportJob.Status.DONE:
        return redirect("chronology:export_status", review_id=review.pk, job_id=job.pk)
    audit_access(by=request.user, action="chronology.export_downloaded", obj=job, board_id=review.board_id,
                 detail={"format": job.fmt, "anonymised": job.anonymised})
    return FileResponse(default_storage.open(job.stored_name, "rb"), as_attachment=True, filename=job.filename,
                        content_type=exports.FORMATS[job.fmt][0])
