import csv

from django import forms
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

from casereview.core.access import allowed_if
from casereview.core.forms import GovukDateField
from casereview.core.permissions import can_read_audit
from casereview.lib.cell_safety import neutralise

from .selectors import audit_events_for
from .services import audit_record


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label="Who (sign-in name)")
    action = forms.CharField(required=False, label="Action", help_text="For example case.viewed")
    object_type = forms.CharField(required=False, label="Record type", help_text="For example cases.case")
    object_id = forms.CharField(required=False, label="Record id")
    date_from = GovukDateField(required=False, label="From")
    date_to = GovukDateField(required=False, label="To")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The 'to' date must be the same as or after the 'from' date")
        return cleaned


def _filtered(request: HttpRequest):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, audit_events_for(request.user, **form.cleaned_data)
    if form.is_bound:
        return form, audit_events_for(request.user).none()
    return form, audit_events_for(request.user)


@allowed_if(can_read_audit)
def audit_list(request: HttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {"form": form, "page": page, "query": query.urlencode()})


@allowed_if(can_read_audit)
def audit_export(request: HttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/list.html", {"form": form, "page": None, "query": ""}, status=400)
    with transaction.atomic():
        audit_record(by=request.user, action="audit.exported", object_type="audit.trail",
                     detail={"filters": {k: v for k, v in request.GET.items() if v}})

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def rows():
        yield writer.writerow(["When", "Who", "Action", "Record type", "Record id", "Reference", "IP address"])
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow([neutralise(v) for v in (
                e.at.isoformat(), e.actor_username, e.action, e.object_type, e.object_id, e.object_label,
                e.ip_address or "")])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
