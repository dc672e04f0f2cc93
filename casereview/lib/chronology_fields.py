"""The chronology's field catalogue: which entry fields an imported column can fill, and suggesting which
column holds which field from its heading (for the person importing to confirm).

Shared by every reader of chronology files (spreadsheets, CSV, Word tables): whatever the format, the
headings go through the same mapping and the same mandatory-field rule.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from .spreadsheets import CellValue, SpreadsheetError, cell_text, column_letter

__all__ = [
    "FIELDS",
    "FIELDS_BY_NAME",
    "FIELD_NAMES",
    "Field",
    "MappingError",
    "missing_mandatory",
    "normalise_heading",
    "parse_mapping_override",
    "suggest_mapping",
]


class MappingError(SpreadsheetError):
    """A column-mapping override that cannot be applied."""


FieldKind = Literal["text", "date", "time", "yes_no"]


@dataclass(frozen=True)
class Field:
    """A chronology entry field that an import column can fill."""

    name: str
    heading: str
    kind: FieldKind = "text"
    mandatory: bool = False
    synonyms: tuple[str, ...] = ()


# Headings are the template's; synonyms are what agencies' own layouts and
# Chronolator documents use.  Agency is deliberately absent: the system sets it
# from who uploads, never from the file.
FIELDS: tuple[Field, ...] = (
    Field(
        "event_ref",
        "Event ref",
        synonyms=(
            "Ref",
            "Reference",
            "Event reference",
            "Event number",
            "Event no",
            "Entry ref",
            "Entry number",
            "Sequence",
            "ID",
        ),
    ),
    Field(
        "start_date",
        "Start date",
        kind="date",
        mandatory=True,
        synonyms=(
            "Date",
            "Date of event",
            "Event date",
            "Date of contact",
            "Contact date",
            "Incident date",
            "Date from",
            "From date",
            "Date started",
        ),
    ),
    Field(
        "start_time",
        "Start time",
        kind="time",
        synonyms=(
            "Time",
            "Time of event",
            "Event time",
            "Time of contact",
            "Time from",
        ),
    ),
    Field("end_date", "End date", kind="date", synonyms=("Date to", "To date", "Date ended", "Finish date")),
    Field("end_time", "End time", kind="time", synonyms=("Time to", "Finish time")),
    Field(
        "source",
        "Source of information",
        mandatory=True,
        synonyms=(
            "Source",
            "Information source",
            "Source of info",
            "Source document",
            "Record",
            "Record source",
            "Where recorded",
        ),
    ),
    Field(
        "practitioner_role",
        "Practitioner role",
        synonyms=(
            "Practitioner",
            "Role",
            "Professional",
            "Professional role",
            "Worker",
            "Staff member",
            "Job title",
            "Staff role",
        ),
    ),
    Field(
        "people_involved",
        "People involved",
        synonyms=(
            "Persons involved",
            "Who was involved",
            "Family members involved",
            "Involved",
            "Involvement",
            "Subjects",
        ),
    ),
    Field(
        "event_type",
        "Event type",
        synonyms=(
            "Type",
            "Type of event",
            "Type of contact",
            "Contact type",
            "Category",
        ),
    ),
    Field(
        "description",
        "Description",
        mandatory=True,
        synonyms=(
            "What happened",
            "Details",
            "Description of event",
            "Event description",
            "Event details",
            "Event",
            "Summary",
            "Narrative",
            "Details of event",
        ),
    ),
    Field("risk", "Risk presented", synonyms=("Risk", "Risks", "Risk identified", "Risks identified")),
    Field(
        "response",
        "Agency response",
        synonyms=(
            "Action taken",
            "Actions taken",
            "Response",
            "Action",
            "Actions",
            "Outcome",
            "Agency action",
            "Response to risk",
        ),
    ),
    Field(
        "partnership",
        "Partnership considerations",
        synonyms=(
            "Partnership",
            "Multi-agency considerations",
            "Multi-agency working",
            "Partnership working",
        ),
    ),
    Field("learning", "Learning", synonyms=("Learning identified", "Lessons learned", "Lessons learnt")),
    Field(
        "q_assessment",
        "Changed or could have changed the assessment",
        kind="yes_no",
        synonyms=(
            "Changed the assessment",
            "Could have changed the assessment",
            "Changed assessment",
        ),
    ),
    Field("q_pattern", "Part of a pattern", kind="yes_no", synonyms=("Pattern", "Part of pattern")),
    Field("q_statutory", "Statutory event", kind="yes_no", synonyms=("Statutory",)),
    Field(
        "q_child",
        "Significant to the child",
        kind="yes_no",
        synonyms=(
            "Significant to child",
            "Significant for the child",
            "Significant for child",
        ),
    ),
    Field(
        "q_adult",
        "Significant to a significant adult",
        kind="yes_no",
        synonyms=(
            "Significant to adult",
            "Significant to an adult",
            "Significant adult",
        ),
    ),
    Field(
        "q_learning_point",
        "Learning point for agencies",
        kind="yes_no",
        synonyms=(
            "Learning point",
            "Learning point for agency",
        ),
    ),
    Field(
        "good_practice",
        "Good practice",
        kind="yes_no",
        synonyms=(
            "Good practice flag",
            "Example of good practice",
        ),
    ),
    Field("key_practice_episode", "Key practice episode", kind="yes_no", synonyms=("KPE", "Key episode")),
)
FIELDS_BY_NAME: dict[str, Field] = {field.name: field for field in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(FIELDS_BY_NAME)

_BRACKETED = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[^\W_]+")


def normalise_heading(text: str) -> str:
    """Reduce a heading to lower-case words, so "Date of Event*" matches "date of event".

    Bracketed hints such as "(dd/mm/yyyy)" or "(Y/N)" are dropped unless they
    are the whole heading.
    """
    text = text.casefold().replace("&", " and ")
    unbracketed = _BRACKETED.sub(" ", text)
    if _WORD.search(unbracketed):
        text = unbracketed
    return " ".join(_WORD.findall(text))


_EXACT: dict[str, str] = {}
for _field in FIELDS:
    for _alias in (_field.name.replace("_", " "), _field.heading, *_field.synonyms):
        _EXACT.setdefault(normalise_heading(_alias), _field.name)

# Tuned on real near-misses: "Date of events" and "Practioner role" score
# 93-97, while "End date" against "Start date" or "Event type" against
# "Event time" score 56-80.  Short headings are left to exact matching because
# one letter changes their meaning ("Risk" and "Role").
_FUZZY_THRESHOLD = 88.0
_FUZZY_MARGIN = 5.0
_FUZZY_MIN_LENGTH = 6


def suggest_mapping(headings: Sequence[CellValue]) -> dict[int, str | None]:
    """Guess which field each column holds, None where unsure, for the user to confirm.

    Exact matches (after normalise_heading) are placed first, then a
    conservative fuzzy match fills the remaining columns.  Each field goes to
    at most one column, the leftmost when several match equally.
    """
    keys = [normalise_heading(cell_text(heading)) for heading in headings]
    mapping: dict[int, str | None] = {index: None for index in range(len(keys))}
    taken: set[str] = set()
    for index, key in enumerate(keys):
        field = _EXACT.get(key)
        if field is not None and field not in taken:
            mapping[index] = field
            taken.add(field)
    for index, key in enumerate(keys):
        if mapping[index] is None and key not in _EXACT:
            field = _fuzzy_field(key)
            if field is not None and field not in taken:
                mapping[index] = field
                taken.add(field)
    return mapping


def _fuzzy_field(key: str) -> str | None:
    if len(key) < _FUZZY_MIN_LENGTH:
        return None
    best_by_field: dict[str, float] = {}
    for alias, field in _EXACT.items():
        score = fuzz.token_sort_ratio(key, alias)
        if score > best_by_field.get(field, 0.0):
            best_by_field[field] = score
    ranked = sorted(best_by_field.items(), key=lambda item: item[1], reverse=True)
    best_field, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score >= _FUZZY_THRESHOLD and best_score - runner_up >= _FUZZY_MARGIN:
        return best_field
    return None


_IGNORE_WORDS = frozenset({"", "-", "none", "ignore"})


def parse_mapping_override(
    text: str,
    headings: Sequence[CellValue],
    base: Mapping[int, str | None] | None = None,
) -> dict[int, str | None]:
    """Apply "Heading=field,Other heading=field" to a mapping, for the command line.

    Starts from `base` (by default suggest_mapping(headings)) and returns the
    whole mapping.  A heading containing a comma can be quoted:
    '"Date, time"=start_date'.  "Heading=ignore" unmaps a column.  Raises
    MappingError naming the unknown heading or field.
    """
    keys = [normalise_heading(cell_text(heading)) for heading in headings]
    mapping = dict(base) if base is not None else suggest_mapping(headings)
    assigned: dict[str, str] = {}
    for item in next(csv.reader([text], skipinitialspace=True), []):
        if not item.strip():
            continue
        heading_text, equals, field_text = item.rpartition("=")
        heading_text, field_text = heading_text.strip(), field_text.strip()
        if not equals or not heading_text:
            raise MappingError(f"'{item}' is not in the form Heading=field")
        index = _column_headed(heading_text, keys, headings)
        field = _override_field(field_text)
        if field is not None:
            if field in assigned:
                raise MappingError(
                    f"{field} is given to both '{assigned[field]}' and '{heading_text}': "
                    "a field can come from one column only"
                )
            assigned[field] = heading_text
            for other, mapped in mapping.items():
                if mapped == field:
                    mapping[other] = None
        mapping[index] = field
    return mapping


def _column_headed(heading_text: str, keys: Sequence[str], headings: Sequence[CellValue]) -> int:
    key = normalise_heading(heading_text)
    matches = [index for index, candidate in enumerate(keys) if candidate == key and key]
    if not matches:
        shown = ", ".join(f"'{cell_text(h)}'" for h in headings if cell_text(h))
        raise MappingError(f"There is no column headed '{heading_text}'; the headings are {shown}")
    if len(matches) > 1:
        columns = ", ".join(column_letter(index) for index in matches)
        raise MappingError(
            f"{len(matches)} columns ({columns}) are headed '{heading_text}': rename them so they "
            "can be told apart"
        )
    return matches[0]


def _override_field(field_text: str) -> str | None:
    name = field_text.casefold()
    if name in _IGNORE_WORDS:
        return None
    if name not in FIELDS_BY_NAME:
        raise MappingError(
            f"'{field_text}' is not a chronology field: use one of "
            + ", ".join(FIELD_NAMES)
            + ", or 'ignore' to leave the column out"
        )
    return name


def missing_mandatory(mapping: Mapping[int, str | None]) -> dict[str, str]:
    """The mandatory fields no column is mapped to, each with a message for the user."""
    mapped = set(mapping.values())
    return {
        field.name: (
            f"No column holds {field.heading}, which every entry needs: add a column headed "
            f"'{field.heading}', or say which column holds it"
        )
        for field in FIELDS
        if field.mandatory and field.name not in mapped
    }
