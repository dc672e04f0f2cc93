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

# --- Readable labels: the trail speaks the board's words, never our event codes. -------------------------------
# What an event is about (the part of the code before the dot), then what happened (after it), in words.
SUBJECTS = {
    "action": "Action", "action_plan": "Action plan", "agency": "Agency", "api_token": "API token",
    "audit": "Audit", "audit_theme": "Audit theme", "audit_tool": "Audit tool", "board": "Board", "case": "Case", "chronology": "Chronology",
    "committee": "Committee", "deadlines": "Deadlines", "email": "Email", "forum": "Practitioner forum", "learning": "Learning",
    "learning_summary": "Learning summary", "meeting": "Meeting", "person": "Person",
    "recurring_learning": "Recurring learning", "referral": "Referral", "regional": "Regional summary",
    "review": "Review", "search": "Search", "security": "Security", "theme": "Typology theme", "typology": "Typology",
}
WORDS = {"cir": "Critical Incident Review", "qa": "quality assurance", "api": "API", "ics": "calendar",
         "matrix": "decision matrix", "csv": "CSV", "pdf": "PDF"}
ACTION_LABELS = {
    "audit.exported": "Audit trail downloaded",
    "search.made": "Searched",
    "person.joined": "Person joined (chose their password)",
    "person.invitation_renewed": "Person asked for a new invitation",
    "typology.seeded": "Default typology added",
    "board.created": "Board created",
    "review.recorded_completed": "Review: recorded as completed before the board used CaseReview",
}


def action_label(code: str) -> str:
    """'meeting.minutes_saved' -> 'Meeting: minutes saved'. Every code gets words, known or not."""
    if code in ACTION_LABELS:
        return ACTION_LABELS[code]
    subject, _, verb = code.partition(".")
    subject_words = SUBJECTS.get(subject) or subject.replace("_", " ").capitalize()
    verb_words = " ".join(WORDS.get(word, word) for word in verb.split("_"))
    return f"{subject_words}: {verb_words}" if verb_words else subject_words


def record_label(object_type: str) -> str:
    """'cases.case' -> 'Case', from the model's own verbose name."""
    from django.apps import apps

    if not object_type:
        return ""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return object_type.rpartition(".")[2].replace("_", " ").capitalize()


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label="Who (sign-in name)")
    action = forms.ChoiceField(required=False, label="What happened", choices=[("", "Anything")])
    object_type = forms.CharField(required=False, label="Record type", widget=forms.HiddenInput)
    object_id = forms.CharField(required=False, label="Record number", widget=forms.HiddenInput)
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
    codes = audit_events_for(request.user).order_by().values_list("action", flat=True).distinct()
    form.fields["action"].choices = [("", "Anything")] + sorted(((c, action_label(c)) for c in codes),
                                                                key=lambda pair: pair[1])
    if form.is_bound and form.is_valid():
        return form, audit_events_for(request.user, **form.cleaned_data)
    if form.is_bound:
        return form, audit_events_for(request.user).none()
    return form, audit_events_for(request.user)


@allowed_if(can_read_audit)
def audit_list(request: HttpRequest) -> HttpResponse:
    form, events = _filtered(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page:
        event.action_text = action_label(event.action)
        event.record_text = record_label(event.object_type)
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
        yield writer.writerow(["When", "Who", "What happened", "Event code", "Record type", "Record number",
                               "Reference", "IP address"])
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow([neutralise(v) for v in (
                e.at.isoformat(), e.actor_username, action_label(e.action), e.action, record_label(e.object_type),
                e.object_id, e.object_label, e.ip_address or "")])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-trail.csv"'
    return response
