"""Derived values of an entry (sort keys, search text) and reading free text into fields.

Used alike by the browser form, the spreadsheet import and the demo, so an entry is stored the same way
however it arrived.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time
from operator import attrgetter

from casereview.lib.chrono_dates import FuzzyDate

from .models import EventType

_DIGITS = re.compile(r"\d+")


def ref_key(ref: str) -> str:
    """A natural sort key: "POL-9" sorts before "POL-10"."""
    return _DIGITS.sub(lambda m: m.group(0).zfill(10), ref.casefold())[:80]


def format_ref(agency_code: str, number: int) -> str:
    """The one format of the references CaseReview gives events: the agency's code and four digits."""
    return f"{agency_code}-{number:04d}"


def next_ref_number(agency_code: str, refs) -> int:
    """The number after the highest reference of the agency's own format among `refs`."""
    pattern = re.compile(rf"{re.escape(agency_code)}-(\d+)", re.IGNORECASE)
    numbers = [int(match.group(1)) for ref in refs if (match := pattern.fullmatch(ref))]
    return max(numbers, default=0) + 1


def sort_number(value: FuzzyDate) -> int:
    """FuzzyDate.sort_key() as one integer, so the database orders entries the same way."""
    year, month, day, uncertain = value.sort_key()
    return year * 100_000 + month * 1_000 + day * 10 + int(uncertain)


def last_day(value: FuzzyDate) -> date:
    """The latest calendar day a fuzzy date could mean."""
    import calendar

    if value.day is not None:
        return date(value.year, value.month, value.day)
    if value.month is not None:
        return date(value.year, value.month, calendar.monthrange(value.year, value.month)[1])
    return date(value.year, 12, 31)


def end_before_start(start: FuzzyDate, start_time: time | None, end: FuzzyDate | None,
                     end_time: time | None) -> bool:
    """True when the end is certainly before the start, at the precision each was given."""
    if end is None:
        return False
    if last_day(end) < start.first_day():
        return True
    same_day = start.precision == "day" and end.precision == "day" and start.first_day() == end.first_day()
    return bool(same_day and start_time and end_time and end_time < start_time)


def apply_dates(entry, start: FuzzyDate, start_time: time | None, end: FuzzyDate | None,
                end_time: time | None) -> None:
    entry.start_year, entry.start_month, entry.start_day = start.year, start.month, start.day
    entry.start_uncertain = start.uncertain
    entry.start_sort = sort_number(start)
    entry.start_first_day = start.first_day()
    entry.start_time = start_time
    entry.start_minutes = start_time.hour * 60 + start_time.minute if start_time else -1
    if end is None:
        entry.end_year = entry.end_month = entry.end_day = None
        entry.end_uncertain = False
    else:
        entry.end_year, entry.end_month, entry.end_day = end.year, end.month, end.day
        entry.end_uncertain = end.uncertain
    entry.end_time = end_time


SEARCHED_FIELDS = ("event_ref", "source", "practitioner_role", "people_text", "event_type_other", "description",
                   "risk", "response", "partnership", "learning")


_SEARCHED = attrgetter(*SEARCHED_FIELDS)
_EVENT_TYPE_LABELS = dict(EventType.choices)


def refresh_derived(entry) -> None:
    """Set the sort key of the ref and the casefolded search text from the entry's fields."""
    entry.ref_key = ref_key(entry.event_ref)
    parts = [*_SEARCHED(entry)]
    if entry.event_type and entry.event_type != EventType.OTHER:
        parts.append(_EVENT_TYPE_LABELS[entry.event_type])
    # Fields left empty (or None) are left out; imports run this on every row, so it stays in C.
    entry.search_text = "\n".join(filter(None, parts)).casefold()


# Words agencies use for each event type, most specific first: "missed appointment" must win over
# "appointment", "child protection conference" over "conference".
_EVENT_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("was not brought", EventType.MISSED_APPOINTMENT),
    ("not brought", EventType.MISSED_APPOINTMENT),
    ("missed appointment", EventType.MISSED_APPOINTMENT),
    ("did not attend", EventType.MISSED_APPOINTMENT),
    ("dna", EventType.MISSED_APPOINTMENT),
    ("wnb", EventType.MISSED_APPOINTMENT),
    ("missed", EventType.MISSED_APPOINTMENT),
    ("home visit", EventType.HOME_VISIT),
    ("visit", EventType.HOME_VISIT),
    ("health appointment", EventType.HEALTH_APPOINTMENT),
    ("appointment", EventType.HEALTH_APPOINTMENT),
    ("clinic", EventType.HEALTH_APPOINTMENT),
    ("consultation", EventType.HEALTH_APPOINTMENT),
    ("conference", EventType.MEETING),
    ("meeting", EventType.MEETING),
    ("strategy", EventType.MEETING),
    ("core group", EventType.MEETING),
    ("referral", EventType.REFERRAL),
    ("referred", EventType.REFERRAL),
    ("assessment", EventType.ASSESSMENT),
    ("incident", EventType.INCIDENT),
    ("transition", EventType.TRANSITION),
    ("transfer", EventType.TRANSITION),
    ("court", EventType.COURT),
    ("hearing", EventType.COURT),
    ("contact", EventType.CONTACT),
    ("phone", EventType.CONTACT),
    ("telephone", EventType.CONTACT),
    ("call", EventType.CONTACT),
    ("email", EventType.CONTACT),
    ("letter", EventType.CONTACT),
)
_EVENT_TYPE_EXACT = {label.casefold(): value for value, label in EventType.choices}
_EVENT_TYPE_EXACT.update({value: value for value in EventType.values})


def read_event_type(text: str) -> tuple[str, str]:
    """(event type, the agency's own wording when it is not one of ours) for an imported cell."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return "", ""
    key = cleaned.casefold()
    if key in _EVENT_TYPE_EXACT:
        return _EVENT_TYPE_EXACT[key], ""
    words = " " + re.sub(r"[^\w]+", " ", key) + " "
    for word, value in _EVENT_TYPE_WORDS:
        if f" {word} " in words:
            return value, ""
    return EventType.OTHER, cleaned[:100]


_PEOPLE_SPLIT = re.compile(r"\s*(?:[,;/\n]|\band\b|&)\s*", re.IGNORECASE)


class PeopleMatcher:
    """Links the names in a "People involved" cell to the case's people."""

    def __init__(self, people: Iterable) -> None:
        self.by_key: dict[str, object] = {}
        for person in people:
            keys = [person.anonymised_label, person.full_name, *person.alias_list(),
                    person.get_relationship_display()]
            if person.relationship in ("mother", "father"):
                keys.append(person.relationship)
            if person.relationship == "subject_child":
                keys += ["child", "subject", "subject child", "the child"]
            first = person.full_name.split()[0] if person.full_name.split() else ""
            if len(first) >= 3:
                keys.append(first)
            for key in keys:
                self.by_key.setdefault(key.casefold().strip(), person)

    def match(self, text: str) -> tuple[list, str]:
        """(matched people, the parts that matched nobody, joined back as text)."""
        found: list = []
        unmatched: list[str] = []
        for part in _PEOPLE_SPLIT.split(text or ""):
            part = part.strip()
            if not part:
                continue
            person = self.by_key.get(part.casefold()) or self.by_key.get(part.casefold().removeprefix("the "))
            if person is None:
                unmatched.append(part)
            elif person not in found:
                found.append(person)
        return found, ", ".join(unmatched)[:500]
