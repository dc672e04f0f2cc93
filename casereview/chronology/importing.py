"""Importing an agency's chronology from a spreadsheet: every row or none.

Rows are streamed (casereview.lib.spreadsheets.read_rows), checked one by one and written in large
batches inside one transaction; the first problem stops the writing but not the checking, so the user
gets every problem at once, as "row N: column: message", and the transaction is rolled back.
"""

from __future__ import annotations

import os
import re
import time
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from operator import itemgetter
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from casereview.audit.services import audit_record
from casereview.lib.chrono_dates import (
    MAX_YEAR,
    MIN_YEAR,
    DateParseError,
    FuzzyDate,
    TimeParseError,
    parse_event_date,
    parse_time,
)
from casereview.lib.chronology_fields import FIELDS_BY_NAME, missing_mandatory, suggest_mapping
from casereview.lib.dates import today as current_date
from casereview.lib.spreadsheets import (
    DEFAULT_MAX_ROWS,
    CellError,
    FileRejected,
    SpreadsheetError,
    cell_text,
    column_letter,
    parse_yes_no,
    read_rows,
)

from .models import ChronologyEntry, ChronologyVersion, ImportMode
from .services import _request_for, _supersede_returned, mark_analysis_stale, refresh_current, version_new
from .values import (
    PeopleMatcher,
    apply_dates,
    end_before_start,
    format_ref,
    next_ref_number,
    read_event_type,
    refresh_derived,
)

BATCH_SIZE = 2_000
MAX_STORED_PROBLEMS = 1_000
_TEXT_LIMITS = {"event_ref": 40, "source": 500, "practitioner_role": 200}


def max_rows() -> int:
    return int(getattr(settings, "CHRONOLOGY_IMPORT_MAX_ROWS",
                       os.environ.get("CASEREVIEW_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)))


def max_bytes() -> int:
    return int(getattr(settings, "UPLOAD_MAX_BYTES", 20 * 1024 * 1024))


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        return f"row {self.row}: {self.column}: {self.message}"


class ImportFailed(Exception):
    """Nothing was stored. `problems` holds up to MAX_STORED_PROBLEMS of `total` problems."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        super().__init__(f"{total or len(problems)} problems")
        self.problems = problems
        self.total = total if total is not None else len(problems)


def read_headings(path: str | Path, filename: str, samples: int = 3) -> tuple[list[str], list[list[str]]]:
    """The heading row and the first few rows, for the column-mapping step. Raises SpreadsheetError."""
    rows = read_rows(os.fspath(path), max_rows(), filename=filename, max_bytes=max_bytes())
    try:
        _, headings = heading_row(rows)
        examples = []
        for _, values in rows:
            examples.append([cell_text(v)[:80] for v in values])
            if len(examples) >= samples:
                break
    finally:
        rows.close()
    return [cell_text(h) for h in headings], examples


# A protective marking, as boards write it above a table (our own template's first row is one).
_MARKING = re.compile(r"(?:OFFICIAL|SECRET|TOP SECRET|RESTRICTED|CONFIDENTIAL|PROTECT)(?:[\s:–—-].*)?",
                      re.IGNORECASE | re.DOTALL)


def heading_row(rows) -> tuple[int, list]:
    """The first row of the sheet, or the one after it when the first holds only a protective marking (as the
    template's does): (row number, headings)."""
    number, values = next(rows)
    filled = [value for value in values if cell_text(value)]
    if len(filled) == 1 and _MARKING.fullmatch(cell_text(filled[0])):
        following = next(rows, None)
        if following is None:
            raise FileRejected("The file has a protective marking but no headings or entries under it: fill in "
                               "the chronology under the headings and upload it again")
        number, values = following
    return number, values


def estimate_rows(path: str | Path, filename: str) -> int | None:
    """How many data rows the file has, cheaply, for the progress bar (None when it cannot tell)."""
    try:
        if filename.casefold().endswith(".csv"):
            with open(path, "rb") as handle:
                return max(sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) - 1, 1)
        with zipfile.ZipFile(path) as archive:
            sheets = sorted(n for n in archive.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
            if not sheets:
                return None
            with archive.open(sheets[0]) as part:
                head = part.read(4096).decode("utf-8", "replace")
        match = re.search(r'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"', head)
        return max(int(match.group(1)) - 1, 1) if match else None
    except (OSError, zipfile.BadZipFile, ValueError):
        return None


class RowReader:
    """Turns one spreadsheet row into an unsaved entry, or the problems that stop it."""

    def __init__(self, headings: list, mapping: Mapping[int, str | None], *, review, agency, version,
                 author, people, today: date, existing: Mapping[str, int] | None = None,
                 mode: str = ImportMode.REPLACE) -> None:
        self.columns = [(index, name, cell_text(headings[index]) if index < len(headings) else ""
                         ) for index, name in sorted(mapping.items()) if name]
        self.names = {name: (index, heading or f"Column {column_letter(index)}")
                      for index, name, heading in self.columns}
        # Each row's mapped cells are picked in one call; every row is at least `width` cells wide.
        self.mapped = tuple(self.names)
        indexes = [index for index, _ in self.names.values()]
        self.width = max(indexes, default=-1) + 1
        pick = itemgetter(*indexes) if indexes else (lambda values: ())
        self.pick = (lambda values: (pick(values),)) if len(indexes) == 1 else pick
        self._dates: dict = {}
        self._times: dict = {}
        self._answers: dict = {}
        self._event_types: dict = {}
        self._people: dict = {}
        self.review, self.agency, self.version, self.author = review, agency, version, author
        self.people = PeopleMatcher(people)
        self.today = today
        self.refs: dict[str, int] = {}
        # Adding to (or updating) a draft: its references, so none is used twice and new ones continue its
        # numbering in the one format the agency's references take (CODE-0001).
        self.existing = {ref.casefold(): pk for ref, pk in (existing or {}).items()}
        self.mode = mode
        self.next_number = next_ref_number(agency.short_code, existing or {}) if existing is not None else None
        self.updates: dict[int, int] = {}
        now = timezone.now()
        self.defaults = {
            "version_id": version.pk, "review_id": review.pk, "referral_id": None, "agency_id": agency.pk,
            "agency_code": agency.short_code, "current_accepted": False, "current_returned": False,
            "duplicate_group": None, "author_id": author.pk if author is not None else None,
            "entered_at": now, "updated_at": now, "edit_version": 1,
        }

    def generated_ref(self, number: int) -> str:
        """A reference for a row without one: its row number in a new version, the next free number when
        adding to a draft."""
        taken = self.refs.keys() | self.existing.keys()
        if self.next_number is None:
            ref = format_ref(self.agency.short_code, number)
            while ref.casefold() in taken:
                ref += "a"
            return ref
        while True:
            ref = format_ref(self.agency.short_code, self.next_number)
            self.next_number += 1
            if ref.casefold() not in taken:
                return ref

    def heading(self, name: str) -> str:
        return self.names[name][1] if name in self.names else FIELDS_BY_NAME[name].heading

    def _parsed(self, cache: dict, parse: Callable, value, error_type: type[Exception]):
        """parse(value), or the error it raised, worked out once per distinct cell value of a column: a
        chronology repeats its dates, times, yes/no answers, event types and people thousands of times."""
        key = (value.__class__, value)
        try:
            return cache[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value (never from our readers): parse it every time
            try:
                return parse(value)
            except error_type as error:
                return error
        try:
            result = parse(value)
        except error_type as error:
            result = error
        if len(cache) < _CACHE_LIMIT:
            cache[key] = result
        return result

    def read(self, number: int, values: list) -> tuple[SimpleNamespace | None, list[int], list[Problem]]:
        problems: list[Problem] = []
        if len(values) < self.width:
            values = [*values, *[None] * (self.width - len(values))]
        cells = dict(zip(self.mapped, self.pick(values), strict=True))
        get = cells.get
        parsed = self._parsed

        def problem(name: str, message: str) -> None:
            problems.append(Problem(number, self.heading(name), message))

        def text(name: str, value: str) -> str:
            limit = _TEXT_LIMITS[name]
            if len(value) > limit:
                problem(name, f"is {len(value)} characters long: shorten it to {limit} characters or fewer")
            return value

        # Every text column as cell_text reads it, in one pass (a text cell, the usual one, is only stripped).
        (source, description, ref, role, event_type_text, people_cell, risk, response, partnership,
         learning) = [value.strip() if value.__class__ is str else cell_text(value)
                      for value in map(get, _TEXT_FIELDS)]

        start = end = None
        raw = get("start_date")
        try:
            found = self._dates[(raw.__class__, raw)]
        except (KeyError, TypeError):
            found = parsed(self._dates, self._parse_date, raw, DateParseError)
        if isinstance(found, DateParseError):
            problem("start_date", str(found))
        else:
            start = found
        start_time = end_time = None
        raw = get("start_time")
        try:
            found = self._times[(raw.__class__, raw)]
        except (KeyError, TypeError):
            found = parsed(self._times, parse_time, raw, TimeParseError)
        if isinstance(found, TimeParseError):
            problem("start_time", str(found))
        else:
            start_time = found
        raw_end = get("end_date")
        if raw_end is not None and cell_text(raw_end):
            found = parsed(self._dates, self._parse_date, raw_end, DateParseError)
            if isinstance(found, DateParseError):
                problem("end_date", str(found))
            else:
                end = found
        found = parsed(self._times, parse_time, get("end_time"), TimeParseError)
        if isinstance(found, TimeParseError):
            problem("end_time", str(found))
        else:
            end_time = found
        if start is not None and end is not None and end_before_start(start, start_time, end, end_time):
            problem("end_date", f"the end ({end.display()}) is before the start ({start.display()}): "
                                "correct one of them")

        source = text("source", source)
        if not source:
            problem("source", "enter the source of information: the record, system or person it comes from")
        if not description:
            problem("description", "enter a description of what happened (facts, not opinion)")
        ref = text("event_ref", ref)
        if ref:
            folded = ref.casefold()
            seen = self.refs.get(folded)
            if seen is not None:
                problem("event_ref", f"'{ref}' is also the reference of row {seen}: give each event its own "
                                     "reference")
            elif folded in self.existing and self.mode == ImportMode.ADD:
                problem("event_ref", f"'{ref}' is already an entry in your draft: choose 'update' to change that "
                                     "entry, or give this event its own reference")
            else:
                self.refs[folded] = number
        # The eight yes/no answers, read together: a chronology has few distinct combinations of them.
        answers = tuple(map(get, _FLAG_FIELDS))
        try:
            flags = self._answers[answers]
        except (KeyError, TypeError):
            flags, before = {}, len(problems)
            for name, value in zip(_FLAG_FIELDS, answers, strict=True):
                try:
                    flags[name] = parse_yes_no(value)
                except CellError as error:
                    problem(name, str(error))
                    flags[name] = False
            if len(problems) == before and len(self._answers) < _CACHE_LIMIT:
                try:
                    self._answers[answers] = flags
                except TypeError:
                    pass
        role = text("practitioner_role", role)
        if problems:
            return None, [], problems

        if not ref:
            ref = self.generated_ref(number)
            self.refs[ref.casefold()] = number
        elif ref.casefold() in self.existing:
            self.updates[number] = self.existing[ref.casefold()]
        event_type, event_type_other = parsed(self._event_types, read_event_type, event_type_text, ValueError)
        people, people_text = parsed(self._people, self._match_people, people_cell, ValueError)
        # A plain namespace rather than a model instance: rows are written in bulk with one prepared INSERT.
        entry = SimpleNamespace(
            **self.defaults, event_ref=ref, source=source, practitioner_role=role,
            people_text=people_text, event_type=event_type, event_type_other=event_type_other,
            description=description, risk=risk, response=response, partnership=partnership, learning=learning,
            source_row=number, **flags,
        )
        apply_dates(entry, start, start_time, end, end_time)
        refresh_derived(entry)
        return entry, list(people), []

    def _parse_date(self, value) -> FuzzyDate:
        # An Excel date cell within the years a chronology covers is a real date: no text to read.
        if (value.__class__ is datetime or value.__class__ is date) and MIN_YEAR <= value.year <= MAX_YEAR:
            return FuzzyDate(value.year, value.month, value.day)
        return parse_event_date(value, today=self.today)

    def _match_people(self, text: str) -> tuple[tuple[int, ...], str]:
        people, people_text = self.people.match(text)
        return tuple(person.pk for person in people), people_text


_TEXT_FIELDS = ("source", "description", "event_ref", "practitioner_role", "event_type", "people_involved", "risk",
                "response", "partnership", "learning")
_FLAG_FIELDS = ("q_assessment", "q_pattern", "q_statutory", "q_child", "q_adult", "q_learning_point",
                "good_practice", "key_practice_episode")
# How many distinct values of one column are remembered (dates over twenty years are about 7,300).
_CACHE_LIMIT = 20_000


ProgressCallback = Callable[[int], None]


def import_chronology(*, by, review, agency, path: str | Path, filename: str,
                      mapping: Mapping[int, str | None] | None = None, submit: bool,
                      origin: str, progress: ProgressCallback | None = None,
                      today: date | None = None, mode: str = ImportMode.REPLACE) -> ChronologyVersion:
    """Import the file into the agency's chronology, every row or none. Raises ImportFailed.

    mode REPLACE: a new version (the draft, or with submit=True the submitted chronology) replaces the previous
    one, which is kept in history and can be restored. ADD: the rows join the agency's draft. UPDATE: rows whose
    event reference matches a draft entry replace that entry; the others join the draft."""
    try:
        rows = read_rows(os.fspath(path), max_rows(), filename=filename, max_bytes=max_bytes())
        heading_number, headings = heading_row(rows)
    except SpreadsheetError as error:
        raise ImportFailed([Problem(None, "", str(error))]) from error
    mapping = dict(mapping) if mapping is not None else suggest_mapping(headings)
    missing = missing_mandatory(mapping)
    if missing:
        rows.close()
        raise ImportFailed([Problem(heading_number, FIELDS_BY_NAME[name].heading, message)
                            for name, message in missing.items()])
    problems: list[Problem] = []
    total = 0
    count = 0
    try:
        with transaction.atomic():
            draft = None
            if mode != ImportMode.REPLACE and not submit:
                draft = (ChronologyVersion.objects.select_for_update(of=("self",))
                         .filter(review=review, agency=agency, state=ChronologyVersion.State.DRAFT).first())
            last_pk = ChronologyEntry.objects.aggregate(last=Max("pk"))["last"] or 0
            if draft is not None:
                version = draft
                existing = dict(version.entries.values_list("event_ref", "pk"))
            else:
                mode, existing = ImportMode.REPLACE, None
                version = version_new(by=by, review=review, agency=agency, origin=origin, filename=filename)
            reader = RowReader(headings, mapping, review=review, agency=agency, version=version,
                               author=by if getattr(by, "is_authenticated", False) else None,
                               people=review.case.people.all(), today=today or current_date(),
                               existing=existing, mode=mode)
            batch: list[tuple[SimpleNamespace, list[int]]] = []
            people_by_row: dict[int, list[int]] = {}
            try:
                for number, values in rows:
                    entry, people, found = reader.read(number, values)
                    if found:
                        total += len(found)
                        room = MAX_STORED_PROBLEMS - len(problems)
                        problems.extend(found[:max(room, 0)])
                    elif not total:
                        batch.append((entry, people))
                        if len(batch) >= BATCH_SIZE:
                            count += _flush(batch, people_by_row, reader.updates)
                    if progress is not None and number % 500 == 0:
                        progress(number - heading_number)
            except SpreadsheetError as error:
                total += 1
                problems.append(Problem(None, "", str(error)))
            if total:
                raise ImportFailed(problems, total)
            count += _flush(batch, people_by_row, reader.updates)
            if not count:
                raise ImportFailed([Problem(None, "", f"{filename} has headings but no entries under them")])
            _link_people(version, people_by_row, after_pk=last_pk)
            version.entry_count = version.entries.count() if draft is not None else count
            version.save(update_fields=["entry_count"])
            if submit:
                version.submit()
                version.submitted_by = by if getattr(by, "is_authenticated", False) else None
                version.submitted_at = timezone.now()
                version.save()
                _supersede_returned(version, keep_accepted=True)
                request = _request_for(review, agency, by)
                request.submit()
                request.save(update_fields=["status"])
                refresh_current(review, agency)
            else:
                mark_analysis_stale(review)
            audit_record(by=by, action="chronology.imported", obj=version,
                         detail={"entries": count, "updated": len(reader.updates), "mode": str(mode),
                                 "file": filename[:100], "submitted": submit})
    finally:
        rows.close()
    if progress is not None:
        progress(count)
    # How many rows this import brought in (the version may hold more: adding to a draft keeps its entries).
    version.imported_entries = count
    return version


_INSERT_FIELDS = [f for f in ChronologyEntry._meta.concrete_fields if not f.primary_key]


def _adapters() -> list[tuple[int, Callable]]:
    """How each column's Python value becomes a database value (what bulk_create would do), for the columns
    that need it: (position, adapter)."""
    ops = connection.ops
    adapters = []
    for position, field in enumerate(_INSERT_FIELDS):
        kind = field.get_internal_type()
        if kind == "DateField":
            adapters.append((position, ops.adapt_datefield_value))
        elif kind == "TimeField":
            adapters.append((position, ops.adapt_timefield_value))
        elif kind == "DateTimeField":
            adapters.append((position, ops.adapt_datetimefield_value))
    return adapters


def _flush(batch: list[tuple[SimpleNamespace, list[int]]], people_by_row: dict[int, list[int]],
           updates: Mapping[int, int] | None = None) -> int:
    """Insert a batch of checked rows with one prepared statement (bulk_create's per-value work, which
    dominates at tens of thousands of rows, is done once per column here, and once per distinct date, time
    and timestamp). A row that updates a draft entry (same event reference) takes the entry's place: the old
    entry goes, the row is inserted."""
    if not batch:
        return 0
    replaced = [updates[entry.source_row] for entry, _ in batch if updates and entry.source_row in updates]
    if replaced:
        ChronologyEntry.objects.filter(pk__in=replaced).delete()
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in _INSERT_FIELDS)
    marks = ", ".join(["%s"] * len(_INSERT_FIELDS))
    sql = f"INSERT INTO {quote(ChronologyEntry._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
    pick = itemgetter(*(field.attname for field in _INSERT_FIELDS))
    adapters = [(position, adapt, {}) for position, adapt in _adapters()]
    params = []
    for entry, people in batch:
        row = list(pick(vars(entry)))
        for position, adapt, adapted in adapters:
            value = row[position]
            if value is not None:
                try:
                    row[position] = adapted[value]
                except KeyError:
                    row[position] = adapted[value] = adapt(value)
        params.append(row)
        if people:
            people_by_row[entry.source_row] = people
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
    size = len(batch)
    batch.clear()
    return size


def _link_people(version: ChronologyVersion, people_by_row: dict[int, list[int]], *, after_pk: int) -> None:
    if not people_by_row:
        return
    through = ChronologyEntry.people.through
    ids = dict(ChronologyEntry.objects.filter(version=version, pk__gt=after_pk).values_list("source_row", "pk"))
    quote = connection.ops.quote_name
    entry_column = quote(through._meta.get_field("chronologyentry").column)
    person_column = quote(through._meta.get_field("caseperson").column)
    sql = (f"INSERT INTO {quote(through._meta.db_table)} ({entry_column}, {person_column}) "  # noqa: S608
           "VALUES (%s, %s)")
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(ids[row], person) for row, people in people_by_row.items() for person in people])


# --- Progress of background imports (readable while the import's transaction is still open) ------------
# Kept in the cache, not in the database (the import's own transaction is still open) nor in a local file: the
# cache is shared by every process of a server, and by every machine of a cluster (Redis), so the web node that
# shows the progress and the sweeper on another worker both see the heartbeat of the worker doing the import.

_PROGRESS_SECONDS = 2 * 24 * 3600


def _progress_key(job_id: int) -> str:
    return f"chronology-import-progress:{int(job_id)}"


def progress_write(job_id: int, done: int, total: int | None) -> None:
    from django.core.cache import cache

    cache.set(_progress_key(job_id), {"done": done, "total": total, "at": time.time()}, _PROGRESS_SECONDS)


def progress_touched_at(job_id: int):
    """When the import last reported progress (its heartbeat while its transaction is open), or None."""
    from datetime import UTC, datetime

    at = progress_read(job_id).get("at")
    return datetime.fromtimestamp(at, tz=UTC) if at else None


def progress_read(job_id: int) -> dict:
    from django.core.cache import cache

    value = cache.get(_progress_key(job_id))
    return value if isinstance(value, dict) else {}


def progress_clear(job_id: int) -> None:
    from django.core.cache import cache

    cache.delete(_progress_key(job_id))
