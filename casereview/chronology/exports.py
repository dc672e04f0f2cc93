"""Exports of the merged chronology (or a filtered view of it): CSV, Excel, Word and PDF, named or anonymised.

Every text cell of the CSV and Excel files goes through cell_safety.neutralise, and every export writes an
audit event (format, named or anonymised, how many entries; never the free-text filter, which may hold a
name). Word, PDF and Excel carry the board's protective marking on every page (or at the top of every sheet),
are A4, and name the board and CaseReview in their properties (casereview.lib.office, casereview.lib.pdf).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, time
from operator import itemgetter

from django.db import transaction
from django.template.loader import render_to_string

from casereview.audit.services import audit_record
from casereview.lib.cell_safety import FORMULA_TRIGGERS, neutralise, neutralise_row
from casereview.lib.chrono_dates import FuzzyDate
from casereview.lib.chronology_fields import FIELDS_BY_NAME
from casereview.lib.dates import now, today
from casereview.lib.formats import long_datetime
from casereview.lib.office import (
    DEFAULT_MARKING,
    DocumentSetup,
    marking_css,
    new_word_document,
    set_column_widths,
)
from casereview.lib.pdf import PdfProperties, render_pdf

from . import analysis, timeline, xlsx_writer
from .display import Anonymiser, agency_palette, child_age
from .models import QUESTION_FIELDS, ChronologyEntry, EntryStar, EntryTag, EventType, ReviewChronology

FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "pdf": ("application/pdf", "pdf"),
}

# The first seven columns are a contract (issue F3): keep their order and headings.
HEADINGS = [
    "Start date", "Start time", "Agency", "Source", "Event type", "Description", "Duplicate group",
    "End date", "End time", "Event ref", "Practitioner role", "People involved", "Child's age",
    FIELDS_BY_NAME["risk"].heading, FIELDS_BY_NAME["response"].heading, FIELDS_BY_NAME["partnership"].heading,
    FIELDS_BY_NAME["learning"].heading,
    *[FIELDS_BY_NAME[name].heading for name in QUESTION_FIELDS],
    "Good practice", "Key practice episode", "Flagged by the review group", "Tags",
]
# The start time is read as minutes after midnight (start_minutes, -1 for none): the same HH:MM, with no time
# value to convert on each of 50,000 rows.
_VALUES = ("id", "start_year", "start_month", "start_day", "start_uncertain", "start_minutes", "agency__name",
           "source", "event_type", "event_type_other", "description", "duplicate_group", "end_year", "end_month",
           "end_day", "end_uncertain", "end_time", "event_ref", "practitioner_role", "people_text", "risk",
           "response", "partnership", "learning", *QUESTION_FIELDS, "good_practice", "key_practice_episode")
_EVENT_TYPES = dict(EventType.choices)


def _hhmm(value: time | str | None) -> str:
    if not value:
        return ""
    # Read without Django's converters (see _raw_rows): SQLite gives "14:30:00", PostgreSQL a time.
    return value[:5] if value.__class__ is str else value.strftime("%H:%M")


def _iso(year: int, month: int | None, day: int | None, uncertain: bool) -> str:
    """FuzzyDate.iso() without building a FuzzyDate: the values were validated when they were stored."""
    text = f"{year:04d}" + (f"-{month:02d}" if month else "") + (f"-{day:02d}" if day else "")
    return f"?{text}" if uncertain else text


def _raw_rows(queryset, chunk: int = 5_000) -> Iterator[tuple]:
    """The queryset's values_list rows straight from the database cursor, without Django's per-value
    converters (at 50,000 rows x 33 columns they cost more than the query): booleans may come back as 0 and
    1 and times as text, which the formatting below reads alike."""
    from django.db.models.sql.constants import MULTI

    compiler = queryset.query.get_compiler(using=queryset.db)
    # A chunked read, as QuerySet.iterator() does (a server-side cursor on PostgreSQL): memory stays flat.
    for batch in compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=chunk):
        yield from batch


@dataclass
class ExportSource:
    review: object
    entries: object  # a queryset of ChronologyEntry, already filtered and scoped
    anonymised: bool
    description: str = "Merged chronology"
    # Told how many rows are written, every few hundred (a background export's progress bar).
    progress: Callable[[int], None] | None = None


def rows(source: ExportSource) -> Iterator[list]:
    """Each entry as a row of plain values under HEADINGS, in merged order."""
    review = source.review
    people = list(review.case.people.all())
    # Named: each text as it is (str.__str__ returns the same string, at C speed).
    anonymise = Anonymiser(people) if source.anonymised else str.__str__
    person_names = {p.pk: (p.anonymised_label if source.anonymised else p.full_name) for p in people}
    child = next((p for p in people if p.relationship == "subject_child"), None)
    dob = child.date_of_birth if child else None
    entries = source.entries.order_by(*ChronologyEntry.ORDERING)
    through = ChronologyEntry.people.through
    linked: dict[int, list[str]] = defaultdict(list)
    for entry_id, person_id in through.objects.filter(chronologyentry__in=entries.values("pk")).values_list(
            "chronologyentry_id", "caseperson_id").order_by("caseperson_id"):
        linked[entry_id].append(person_names.get(person_id, ""))
    flagged = set(EntryStar.objects.filter(entry__in=entries.values("pk")).values_list("entry_id", flat=True))
    tags: dict[int, list[str]] = defaultdict(list)
    for entry_id, tag in EntryTag.objects.filter(entry__in=entries.values("pk")).values_list("entry_id", "tag"):
        tags[entry_id].append(tag)
    position = {name: index for index, name in enumerate(_VALUES)}
    questions = [position[name] for name in QUESTION_FIELDS]
    (pk, year, month, day, uncertain, start_time, agency, source_at, event_type_at, other_at, description_at,
     group_at, end_year, end_month, end_day, end_uncertain, end_time, ref_at, role_at, people_at, risk_at,
     response_at, partnership_at, learning_at) = range(24)
    good_at, kpe_at = position["good_practice"], position["key_practice_episode"]
    # The same few thousand dates, times and group numbers recur across 50,000 entries: each is formatted once.
    dates: dict[tuple, tuple[str, str]] = {}
    groups: dict[int | None, str] = {}
    times: dict[int, str] = {}
    yes = ("No", "Yes")
    for done, row in enumerate(_raw_rows(entries.values_list(*_VALUES))):
        if source.progress is not None and done % 500 == 0:
            source.progress(done)
        event_type = (row[other_at] if row[event_type_at] == EventType.OTHER and row[other_at]
                      else _EVENT_TYPES.get(row[event_type_at], ""))
        names = linked.get(row[pk], [])
        if row[people_at]:
            names = [*names, anonymise(row[people_at])]
        start_key = row[year:uncertain + 1]
        try:
            start_iso, age = dates[start_key]
        except KeyError:
            start_iso = _iso(*start_key)
            age = child_age(dob, FuzzyDate(row[year], row[month], row[day], bool(row[uncertain]))) if dob else ""
            dates[start_key] = (start_iso, age)
        try:
            group = groups[row[group_at]]
        except KeyError:
            group = groups[row[group_at]] = analysis.duplicate_label(row[group_at])
        try:
            start_hhmm = times[row[start_time]]
        except KeyError:
            minutes = row[start_time]
            start_hhmm = times[minutes] = f"{minutes // 60:02d}:{minutes % 60:02d}" if minutes >= 0 else ""
        yield [
            start_iso, start_hhmm, row[agency],
            anonymise(row[source_at]), event_type, anonymise(row[description_at]), group,
            _iso(row[end_year], row[end_month], row[end_day], row[end_uncertain]) if row[end_year] else "",
            _hhmm(row[end_time]), row[ref_at], anonymise(row[role_at]), ", ".join(names), age,
            anonymise(row[risk_at]), anonymise(row[response_at]), anonymise(row[partnership_at]),
            anonymise(row[learning_at]), *[yes[bool(row[i])] for i in questions], yes[bool(row[good_at])],
            yes[bool(row[kpe_at])], yes[row[pk] in flagged], ", ".join(sorted(tags.get(row[pk], []))),
        ]


def write_csv(source: ExportSource, stream: io.TextIOBase) -> int:
    writer = csv.writer(stream)
    writer.writerow(HEADINGS)
    count = 0
    for row in rows(source):
        writer.writerow(neutralise_row(row))
        count += 1
    return count


def _marking(review) -> str:
    return review.board.protective_marking or DEFAULT_MARKING


_PRECISION = {3: "Day", 2: "Month", 1: "Year"}
# The columns of rows() holding text that came from an agency or a person (the rest CaseReview formats).
_TEXT_COLUMNS = (2, 3, 4, 5, 9, 10, 11, 13, 14, 15, 16, len(HEADINGS) - 1)
_texts_of = itemgetter(*_TEXT_COLUMNS)
_TRIGGER_AFTER_BREAK = re.compile("\n[" + re.escape("".join(FORMULA_TRIGGERS)) + "]")


def _excel_date(text: str):
    """A date known to the day becomes a real date; a month, a year or an uncertain date stays text."""
    if len(text) == 10 and not text.startswith("?"):
        return date.fromisoformat(text), "Day"
    if not text:
        return "", ""
    precision = _PRECISION[text.lstrip("?").count("-") + 1]
    return text, f"{precision} (uncertain)" if text.startswith("?") else precision


def write_xlsx(source: ExportSource, stream) -> int:
    """The merged chronology and an "About this export" sheet; every text cell neutralised. Dates known to the
    day are real Excel dates; others stay text, and a precision column says which is which."""
    counter = {"rows": 0}
    marking = _marking(source.review)

    def chronology():
        yield [*HEADINGS, "Start date precision", "End date precision"]
        excel_dates: dict[str, tuple] = {}
        for row in rows(source):
            counter["rows"] += 1
            # neutralise_row, inline and on the columns that hold agencies' text (the others are dates, times,
            # ages, labels and Yes/No written by CaseReview): text a spreadsheet would run as a formula gets a
            # leading quote.
            safe = row
            # One search over the row's text finds any cell that may start with a trigger; only then is each
            # cell looked at (a trigger after a line break inside a cell also leads here, harmlessly).
            if _TRIGGER_AFTER_BREAK.search("\n" + "\n".join(_texts_of(row))):
                for at in _TEXT_COLUMNS:
                    if safe[at].startswith(FORMULA_TRIGGERS):
                        safe[at] = "'" + safe[at]
            for at in (0, 7):
                try:
                    found = excel_dates[row[at]]
                except KeyError:
                    found = excel_dates[row[at]] = _excel_date(row[at])
                safe[at] = found[0]
                safe.append(found[1])
            yield safe

    def about():
        yield ["About this export", ""]
        for label, value in _about_lines(source, counter["rows"]):
            yield [neutralise(label), neutralise(value)]

    widths = {0: 12, 1: 8, 2: 24, 3: 24, 4: 18, 5: 60, 6: 10, 7: 12, 8: 8, 9: 12, 10: 20, 11: 24, 12: 16,
              13: 30, 14: 30, 15: 30, 16: 30, len(HEADINGS): 14, len(HEADINGS) + 1: 14}
    review = source.review
    xlsx_writer.write_workbook(stream, [
        xlsx_writer.Sheet("Chronology", chronology(), widths=widths, marking=marking),
        xlsx_writer.Sheet("About this export", about(), freeze_first_row=False, widths={0: 20, 1: 100},
                          marking=marking, landscape=False),
    ], xlsx_writer.Properties(title=f"Chronology of review {review.reference}", board_name=review.board.name,
                              marking=marking))
    return counter["rows"]


def _about_lines(source: ExportSource, count: int) -> list[tuple[str, str]]:
    review = source.review
    lines = [
        ("Review", f"{review.reference}: {review.title}"),
        ("Contents", source.description),
        ("Names", "Anonymised: people are shown by their glossary labels" if source.anonymised else
         "Named: contains the names of the child and family"),
        ("Entries", str(count)),
        ("Exported", long_datetime(now())),
        ("Dates", "At the precision the agency gave: a date known to the day is a date; otherwise 2014-03 or "
                  "2014, and a ? in front marks an uncertain date"),
        ("Duplicate group", "Entries with the same label were confirmed by the review group as records of the "
                            "same event"),
    ]
    if source.anonymised:
        lines += [("Glossary", f"{p.anonymised_label}: {p.get_relationship_display()}")
                  for p in review.case.people.all()]
    return lines


DOCX_COLUMNS = [("Date", 2.1), ("Time", 1.2), ("Agency", 3.3), ("Event type", 2.6), ("What happened", 11.0),
                ("Source", 4.0), ("Duplicate group", 2.5)]


def write_docx(source: ExportSource, stream) -> int:
    """A4 landscape, the marking on every page, columns fitted to what they hold, the heading row repeated."""
    from docx.oxml import OxmlElement
    from docx.shared import Pt

    review = source.review
    document = new_word_document(DocumentSetup(
        title=f"Chronology of review {review.reference}", board_name=review.board.name, marking=_marking(review),
        landscape=True, font_size=8, subject=source.description))
    document.add_heading(f"Chronology: {review.reference} {review.title}", level=1)
    for label, value in _about_lines(source, source.entries.count()):
        document.add_paragraph(f"{label}: {value}").paragraph_format.space_after = Pt(0)
    table = document.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    for cell, (heading, _width) in zip(table.rows[0].cells, DOCX_COLUMNS, strict=True):
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.bold = True
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    count = 0
    for row in rows(source):
        cells = table.add_row().cells
        cells[0].text = row[0]
        cells[1].text = row[1]
        cells[2].text = row[2]
        cells[3].text = row[4]
        details = [row[5]]
        for label, value in (("Risk", row[13]), ("Response", row[14]), ("Partnership", row[15]),
                             ("Learning", row[16])):
            if value:
                details.append(f"{label}: {value}")
        if row[11]:
            details.append(f"People involved: {row[11]}")
        if row[12]:
            details.append(f"Child's age: {row[12]}")
        cells[4].text = "\n".join(details)
        cells[5].text = row[3]
        cells[6].text = row[6]
        count += 1
    set_column_widths(table, [width for _heading, width in DOCX_COLUMNS])
    document.save(stream)
    return count


PDF_CSS = """
@page { size: A4 landscape; margin: 14mm 12mm; @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; } }
body { font-family: Arial, sans-serif; font-size: 8pt; color: #0b0c0c; }
h1 { font-size: 16pt; margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #b1b4b6; padding: 2px 4px; vertical-align: top; text-align: left; }
th { background: #f3f2f1; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.meta { margin: 0 0 4mm; }
.timeline { margin: 0 0 6mm; }
"""


def write_pdf(source: ExportSource, stream) -> int:
    review = source.review
    entries = source.entries
    all_rows = list(rows(source))
    codes = sorted(set(entries.values_list("agency_code", flat=True)))
    names = dict(entries.values_list("agency_code", "agency__name").distinct())
    events = [(code, day, bool(kpe)) for code, day, kpe in entries.values_list(
        "agency_code", "start_first_day", "key_practice_episode")]
    threshold = ReviewChronology.objects.filter(review=review).values_list("gap_threshold_days", flat=True).first()
    gaps = [(g.start, g.end) for g in analysis.gaps(entries, threshold)] if threshold else []
    # The same picture as the timeline page: lanes with full names, gaps shaded, counts when dense.
    svg = timeline.render(lanes=[(code, names.get(code, code)) for code in codes], palette=agency_palette(codes),
                          events=events, gaps=gaps, title=f"Timeline of {review.reference}")
    html = render_to_string("chronology/export_pdf.html", {
        "review": review, "rows": all_rows, "about": _about_lines(source, len(all_rows)), "timeline_svg": svg,
    })
    stream.write(render_pdf(html, PdfProperties(title=f"Chronology of review {review.reference}",
                                                author=review.board.name),
                            stylesheets=[marking_css(_marking(review)), PDF_CSS]))
    return len(all_rows)


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "docx": write_docx, "pdf": write_pdf}


def export_filename(review, fmt: str, anonymised: bool) -> str:
    stamp = today().isoformat()
    kind = "anonymised" if anonymised else "named"
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in review.reference)
    return f"chronology-{safe}-{kind}-{stamp}.{FORMATS[fmt][1]}"


def export_chronology(*, by, source: ExportSource, fmt: str, stream, filters_used: list[str] | None = None) -> int:
    """Write the export to `stream` and record who exported what. Returns the number of entries."""
    if fmt not in WRITERS:
        raise ValueError(f"Unknown format {fmt}")
    analysis.ensure_analysis(source.review)
    if fmt == "csv":
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="", write_through=True)
        count = write_csv(source, text)
        text.flush()
        text.detach()
    else:
        count = WRITERS[fmt](source, stream)
    with transaction.atomic():
        audit_record(by=by, action="chronology.exported", obj=source.review, detail={
            "format": fmt, "anonymised": source.anonymised, "entries": count,
            "filters": sorted(filters_used or []), "contents": source.description[:100]})
    return count
