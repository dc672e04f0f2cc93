"""API v1: the merged multi-agency chronology of a review (read, for the review group) and new entries in an
agency's own draft (write, for agency authors and leads), through the chronology app's selectors, form
validation and services."""

from datetime import datetime

from django.db import transaction
from ninja import Field, Query, Schema, Status

from casereview.chronology import analysis, selectors, services
from casereview.chronology.display import Anonymiser
from casereview.chronology.forms import EntryForm, FilterForm
from casereview.chronology.models import QUESTION_FIELDS, ChronologyEntry, EventType
from casereview.chronology.values import last_day, sort_number
from casereview.lib.chrono_dates import (
    ACCEPTED_DATE_FORMATS,
    ACCEPTED_TIME_FORMATS,
    DateParseError,
    FuzzyDate,
    parse_event_date,
)
from casereview.reviews.services import review_viewed

from .common import (
    IdempotencyKey,
    PageQuery,
    RecordId,
    Text,
    choices,
    errors,
    idempotent,
    paged,
)
from .core import ERRORS, api
from .schemas import ErrorOut

WRITE_ERRORS = {**ERRORS, 409: ErrorOut}
# The significance questions of seed Appendix I, by their field names (q_assessment, q_pattern, ...).
Significance = choices("Significance", QUESTION_FIELDS)
ChronologyEventType = choices("ChronologyEventType", EventType.values)


class PersonOut(Schema):
    id: int
    name: str = Field(description="Full name, or the glossary label (e.g. Child Q) when anonymised")


class EntryOut(Schema):
    id: int
    agency: str = Field(description="Short code of the agency whose chronology it is")
    event_ref: str
    start: str = Field(description='The date at its precision, ISO style: "2014-03-12", "2014-03" or "2014"; '
                                   'a leading "?" marks an uncertain date')
    start_display: str
    start_time: str | None = Field(description="HH:MM")
    end: str | None
    end_time: str | None
    event_type: str
    event_type_other: str
    source: str
    practitioner_role: str
    people: list[PersonOut]
    people_text: str = Field(description="People named in an import who could not be matched to the case")
    description: str
    risk: str
    response: str
    partnership: str
    learning: str
    significance: list[Significance]
    good_practice: bool
    key_practice_episode: bool
    duplicate_group: int | None = Field(description="Entries of different agencies that look like the same event "
                                                    "share a number")
    version: int = Field(description="The number of the agency's chronology version the entry belongs to")
    entered_at: datetime


class EntryPage(Schema):
    items: list[EntryOut]
    count: int


def _time(value) -> str | None:
    return value.strftime("%H:%M") if value else None


def _entry_out(entry: ChronologyEntry, anonymise=None) -> dict:
    text = anonymise or (lambda value: value)
    start, end = entry.start, entry.end
    return {
        "id": entry.pk, "agency": entry.agency_code, "event_ref": entry.event_ref, "start": start.iso(),
        "start_display": start.display(), "start_time": _time(entry.start_time),
        "end": end.iso() if end else None, "end_time": _time(entry.end_time), "event_type": entry.event_type,
        "event_type_other": entry.event_type_other, "source": text(entry.source),
        "practitioner_role": entry.practitioner_role,
        "people": [{"id": p.pk, "name": p.anonymised_label if anonymise else p.full_name}
                   for p in entry.people.all()],
        "people_text": text(entry.people_text), "description": text(entry.description), "risk": text(entry.risk),
        "response": text(entry.response), "partnership": text(entry.partnership), "learning": text(entry.learning),
        "significance": [name for name in QUESTION_FIELDS if getattr(entry, name)],
        "good_practice": entry.good_practice, "key_practice_episode": entry.key_practice_episode,
        "duplicate_group": entry.duplicate_group, "version": entry.version.number, "entered_at": entry.entered_at,
    }


class EntryFilters(Schema):
    agency: list[Text] = Field([], description="Only these agencies (short codes; repeat the parameter for more)")
    date_from: Text = Field("", description=f"Only events from this date: {ACCEPTED_DATE_FORMATS}")
    date_to: Text = Field("", description="Only events up to this date (a month or year includes all of it)")
    event_type: list[ChronologyEventType] = Field([], description="Only these event types (repeat for more)")
    q: Text = Field("", description="Only entries containing every one of these words", max_length=200)
    good_practice: bool = False
    key_practice_episode: bool = False
    include_submitted: bool = Field(False, description="Also show chronologies submitted but not yet accepted")
    anonymised: bool = Field(False, description="Replace the names of the case's people with their glossary "
                                                "labels")


def _filters(review, query: EntryFilters) -> tuple[selectors.Filters | None, list[tuple[str, str]]]:
    """The merged chronology's filters, validated by the page's own filter form."""
    agencies = [r.agency for r in selectors.requests_for(review)]
    by_code = {a.short_code.casefold(): a for a in agencies}
    unknown = [code for code in query.agency if code.casefold() not in by_code]
    if unknown:
        return None, [("agency", f"No agency with the code {unknown[0]} was asked for a chronology in this review; "
                                 f"codes: {', '.join(sorted(a.short_code for a in agencies)) or 'none'}")]
    form = FilterForm({"agency": [str(by_code[c.casefold()].pk) for c in query.agency],
                       "date_from": query.date_from, "date_to": query.date_to,
                       "event_type": [str(t) for t in query.event_type], "q": query.q},
                      agencies=agencies, people=[])
    if not form.is_valid():
        return None, [(name if name != "__all__" else None, message)
                      for name, messages in form.errors.items() for message in messages]
    data = form.cleaned_data
    start, end = data["date_from"], data["date_to"]
    return selectors.Filters(
        agencies=[int(pk) for pk in data["agency"]],
        date_from=sort_number(FuzzyDate(start.year, start.month, start.day, False)) if start else None,
        # The last day the date could mean, counting uncertain entries of that day.
        date_to=sort_number(FuzzyDate(*_ymd(last_day(end)), True)) if end else None,
        event_types=list(data["event_type"]), good_practice=query.good_practice,
        key_practice_episode=query.key_practice_episode, text=data["q"],
        include_submitted=query.include_submitted), []


def _ymd(day) -> tuple[int, int, int]:
    return day.year, day.month, day.day


@api.get("/chronology/reviews/{review_id}/entries", response={200: EntryPage, **ERRORS},
         summary="A review's merged multi-agency chronology, in date order (review group only; audited)")
def merged_entries(request, review_id: int, query: Query[EntryFilters], page: Query[PageQuery]):
    review = selectors.review_for_group(request.user, review_id)
    chosen, problems = _filters(review, query)
    if problems:
        return errors(*problems)
    analysis.ensure_analysis(review)
    review_viewed(by=request.user, review=review, page="api chronology")
    anonymise = Anonymiser(review.case.people.all()) if query.anonymised else None
    entries = (selectors.merged_entries(review, chosen).select_related("agency", "version")
               .prefetch_related("people").order_by(*ChronologyEntry.ORDERING))
    return paged(entries, page, lambda entry: _entry_out(entry, anonymise))


class EntryIn(Schema):
    event_ref: Text = Field("", description="Your own reference; left blank, the next number is given "
                                            "(e.g. POL-012). Unique within your agency's draft.")
    start: Text = Field(description=f"Start date: {ACCEPTED_DATE_FORMATS}")
    start_time: Text = Field("", description=f"Start time: {ACCEPTED_TIME_FORMATS}")
    end: Text = Field("", description="End date, for events that lasted more than a day")
    end_time: Text = ""
    source: Text = Field(description="The record, system or person this comes from")
    practitioner_role: Text = ""
    people: list[RecordId] = Field([], description="Ids of the case's people involved (see `people` of the entries)")
    event_type: ChronologyEventType
    event_type_other: Text = ""
    description: Text = Field(description="What happened: facts, not opinion")
    risk: Text = ""
    response: Text = ""
    partnership: Text = ""
    learning: Text = ""
    significance: list[Significance] = Field([], description="The significance questions this event answers yes")
    good_practice: bool = False
    key_practice_episode: bool = False


def _entry_form(review, user, payload: EntryIn) -> tuple[EntryForm | None, list[tuple[str, str]]]:
    problems = []
    parsed = {}
    for name in ("start", "end"):
        value = getattr(payload, name)
        if name == "start" or value.strip():
            try:
                parsed[name] = parse_event_date(value)
            except DateParseError as error:
                problems.append((name, f"{'Start' if name == 'start' else 'End'} date: {error}"))
    if problems:
        return None, problems
    data = {field: getattr(payload, field) for field in (
        "event_ref", "start_time", "end_time", "source", "practitioner_role", "event_type_other", "description",
        "risk", "response", "partnership", "learning")}
    data.update(event_type=str(payload.event_type), people=[str(pk) for pk in payload.people],
                significance=[str(s) for s in payload.significance])
    for name, value in parsed.items():
        data.update({f"{name}_0": value.day or "", f"{name}_1": value.month or "", f"{name}_2": value.year,
                     f"{name}_uncertain": "on" if value.uncertain else ""})
    for flag in ("good_practice", "key_practice_episode"):
        if getattr(payload, flag):
            data[flag] = "on"
    # The references in the draft the entry will join: the current draft, or the copy about to be made.
    draft = selectors.draft_for(review, user.agency_id) or selectors.latest_returned(review, user.agency_id)
    taken = set(draft.entries.values_list("event_ref", flat=True)) if draft else set()
    form = EntryForm(data, people=review.case.people.all(), taken_refs=taken)
    if not form.is_valid():
        named = {"start_uncertain": "start", "end_uncertain": "end", "__all__": None}
        return None, [(named.get(name, name), message) for name, messages in form.errors.items()
                      for message in messages]
    return form, []


def _draft_for_new_entry(review, user) -> None:
    """An agency that has returned its chronology changes it in a new draft copied from what it returned (the
    page's "Start a new draft from version N"); without the copy, the new draft would replace the returned
    chronology with the new entries alone when submitted."""
    if selectors.draft_for(review, user.agency_id) is None:
        returned = selectors.latest_returned(review, user.agency_id)
        if returned is not None:
            services.draft_start(by=user, review=review, agency=user.agency, copy_from=returned)


@api.post("/chronology/reviews/{review_id}/entries", response={201: EntryOut, **WRITE_ERRORS},
          summary="Add an entry to your own agency's draft chronology for a review (agency authors and leads)")
def entry_create(request, review_id: int, payload: EntryIn,
                 idempotency_key: IdempotencyKey = None):
    user = request.user
    review, _ = selectors.review_for_agency(user, review_id)

    def run():
        form, problems = _entry_form(review, user, payload)
        if problems:
            return errors(*problems)
        try:
            with transaction.atomic():
                _draft_for_new_entry(review, user)
                entry = services.entry_create(by=user, review=review, details=form.entry_details())
        except services.ChronologyError as error:
            return errors((None, str(error)), status=409)
        entry = ChronologyEntry.objects.select_related("version").prefetch_related("people").get(pk=entry.pk)
        return Status(201, _entry_out(entry))

    return idempotent(request, key=idempotency_key, scope=f"chronology-entry:{review.pk}",
                      payload=payload.model_dump(mode="json"), run=run)
