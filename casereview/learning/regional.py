"""The regional learning format: build a board's file and validate another board's (docs/regional-format.md).

Validation is strict, because the file crosses an organisational boundary: the shape must be exactly the
documented one (no unknown keys, types and lengths checked), and no text may carry anything that could
identify a person, judged by the publication scanner's patterns (dates of birth, postcodes, NHS and National
Insurance numbers, phone numbers, email addresses), by titles followed by a name ("Mrs Smith"), and by any
full calendar date (the format carries years only, so a date of birth has nowhere legitimate to be).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
from datetime import datetime

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks import task

from casereview.lib.identifiers import scan

FORMAT_NAME = "casereview-regional-learning"
FORMAT_VERSION = "1.0"
SUPPORTED_VERSIONS = {"1.0"}
MAX_BYTES = 2 * 1024 * 1024
MAX_SUMMARIES = 500
MAX_ERRORS_SHOWN = 5

# Keys that would carry identity if anyone added them; named in the message so the sender knows what to remove.
IDENTITY_KEYS = re.compile(r"(^|_)(name|names|full_name|forename|surname|dob|date_of_birth|birth|address|"
                           r"postcode|nhs|ni_number)($|_)", re.IGNORECASE)
_TITLE_AND_NAME = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z]+")
_MONTHS = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_FULL_DATE = re.compile(
    rf"\b\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}\b|\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\s+\d{{4}}\b|\b{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    re.IGNORECASE)
_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")

# (key, type, required, max length) for each summary.
_TEXT, _YEAR, _LIST, _THEMES = "text", "year", "list", "themes"
SUMMARY_KEYS = {
    "id": ("id", True, 64),
    "title": (_TEXT, True, 200),
    "review_type": (_TEXT, True, 120),
    "methodology": (_TEXT, False, 120),
    "year_commissioned": (_YEAR, False, None),
    "year_completed": (_YEAR, False, None),
    "case_summary": (_TEXT, False, 5000),
    "why_reviewed": (_TEXT, False, 5000),
    "key_findings": (_TEXT, True, 20000),
    "good_practice": (_TEXT, False, 20000),
    "recommendations": (_TEXT, False, 20000),
    "reflection_questions": (_LIST, False, 500),
    "themes": (_THEMES, True, 50),
}
THEME_KEYS = {"code": 12, "name": 200, "group": 200}
ALLOWED_KEYS = {*SUMMARY_KEYS, *THEME_KEYS, "format", "version", "exported_at", "board", "region", "summaries"}


class FormatError(ValueError):
    """The file was refused; ``errors`` lists why, each message saying where in the file."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        shown = errors[:MAX_ERRORS_SHOWN]
        more = f" (and {len(errors) - len(shown)} more problems)" if len(errors) > len(shown) else ""
        super().__init__("; ".join(shown) + more)


def _anonymous_id(board, summary) -> str:
    # Stable for the same summary, so a region can recognise a re-sent file; reveals nothing about the case.
    return hashlib.sha256(f"{board.slug}:{summary.pk}:{summary.review.reference}".encode()).hexdigest()[:32]


def build(board, summaries) -> dict:
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
        "board": {"name": board.name, "region": board.region or ""},
        "summaries": [{
            "id": _anonymous_id(board, s),
            "title": s.title,
            "review_type": s.review_type,
            "methodology": s.methodology,
            "year_commissioned": s.commissioned_on.year if s.commissioned_on else None,
            "year_completed": s.completed_on.year if s.completed_on else None,
            "case_summary": s.case_summary,
            "why_reviewed": s.why_reviewed,
            "key_findings": s.key_findings,
            "good_practice": s.good_practice,
            "recommendations": s.recommendations,
            "reflection_questions": s.question_list(),
            "themes": [{"code": t.code, "name": t.name, "group": t.parent.name if t.parent else ""}
                       for t in s.themes.all()],
        } for s in summaries],
    }


def parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def _identity_problems(text: str) -> list[str]:
    found = [f"{hit.reason.lower()} (\u201c{hit.matched_text}\u201d)" for hit in scan(text)]
    found += [f"a title and name (\u201c{m.group()}\u201d)" for m in _TITLE_AND_NAME.finditer(text)]
    found += [f"a full date (\u201c{m.group()}\u201d): the format carries years only"
              for m in _FULL_DATE.finditer(text)]
    return found


def _check_identity_keys(value, where: str, errors: list[str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if str(key) not in ALLOWED_KEYS and IDENTITY_KEYS.search(str(key)):
                errors.append(f"{where} has a field \u201c{key}\u201d that could carry a name or date of birth")
            _check_identity_keys(inner, f"{where}.{key}", errors)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            _check_identity_keys(inner, f"{where}[{index + 1}]", errors)


def _text(value, where: str, required: bool, limit: int, errors: list[str]) -> None:
    if value is None and not required:
        return
    if not isinstance(value, str):
        errors.append(f"{where} must be text")
        return
    if required and not value.strip():
        errors.append(f"{where} must not be empty")
    if len(value) > limit:
        errors.append(f"{where} is longer than {limit} characters")
    for problem in _identity_problems(value):
        errors.append(f"{where} may identify someone: {problem}")


def _summary(item, where: str, errors: list[str]) -> None:
    if not isinstance(item, dict):
        errors.append(f"{where} must be an object")
        return
    for key in sorted(set(item) - set(SUMMARY_KEYS)):
        errors.append(f"{where} has a field the format does not have: \u201c{key}\u201d")
    for key, (kind, required, limit) in SUMMARY_KEYS.items():
        at = f"{where} {key}"
        if key not in item:
            if required:
                errors.append(f"{at} is missing")
            continue
        value = item[key]
        if kind == "id":
            if not isinstance(value, str) or not _ID.match(value):
                errors.append(f"{at} must be 8 to 64 letters, numbers or hyphens")
        elif kind == _TEXT:
            _text(value, at, required, limit, errors)
        elif kind == _YEAR:
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                      or not 1990 <= value <= 2100):
                errors.append(f"{at} must be a year between 1990 and 2100, or null")
        elif kind == _LIST:
            if not isinstance(value, list) or len(value) > 20:
                errors.append(f"{at} must be a list of at most 20 questions")
            else:
                for n, question in enumerate(value, start=1):
                    _text(question, f"{at} {n}", True, limit, errors)
        elif kind == _THEMES:
            if not isinstance(value, list) or not value or len(value) > limit:
                errors.append(f"{at} must be a list of 1 to {limit} themes")
                continue
            for n, theme in enumerate(value, start=1):
                if not isinstance(theme, dict) or set(theme) != set(THEME_KEYS):
                    errors.append(f"{at} {n} must have exactly: code, name, group")
                    continue
                for tkey, tlimit in THEME_KEYS.items():
                    _text(theme[tkey], f"{at} {n} {tkey}", tkey != "group", tlimit, errors)


def validate(data: bytes) -> dict:
    """The parsed document, or FormatError saying everything that is wrong with it."""
    if not data:
        raise FormatError(["The file is empty"])
    if len(data) > MAX_BYTES:
        raise FormatError([f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB"])
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise FormatError(["The file is not valid JSON: export it again from CaseReview"]) from None
    if not isinstance(document, dict):
        raise FormatError(["The file must hold one JSON object"])
    if document.get("format") != FORMAT_NAME:
        raise FormatError([f"The file is not a regional learning file (its \u201cformat\u201d must be "
                           f"\u201c{FORMAT_NAME}\u201d)"])
    if document.get("version") not in SUPPORTED_VERSIONS:
        raise FormatError([f"Version \u201c{document.get('version')}\u201d of the format is not supported: "
                           f"this service reads version {', '.join(sorted(SUPPORTED_VERSIONS))}"])
    errors: list[str] = []
    _check_identity_keys(document, "The file", errors)
    for key in sorted(set(document) - {"format", "version", "exported_at", "board", "summaries"}):
        errors.append(f"The file has a field the format does not have: \u201c{key}\u201d")
    try:
        parse_time(str(document.get("exported_at")))
    except ValueError:
        errors.append("exported_at must be a date and time, for example 2026-11-27T10:00:00+00:00")
    board = document.get("board")
    if not isinstance(board, dict) or set(board) - {"name", "region"} or "name" not in board:
        errors.append("board must be an object with a name and optionally a region")
    else:
        _text(board["name"], "board name", True, 200, errors)
        _text(board.get("region"), "board region", False, 120, errors)
    summaries = document.get("summaries")
    if not isinstance(summaries, list) or not summaries:
        errors.append("summaries must be a list with at least one summary")
    elif len(summaries) > MAX_SUMMARIES:
        errors.append(f"The file has more than {MAX_SUMMARIES} summaries")
    else:
        for n, item in enumerate(summaries, start=1):
            _summary(item, f"Summary {n}", errors)
        ids = [s.get("id") for s in summaries if isinstance(s, dict)]
        if len(ids) != len(set(map(str, ids))):
            errors.append("Two summaries have the same id")
    if errors:
        raise FormatError(errors)
    return document


# --- importing in the background --------------------------------------------------------------------------
# The file crosses an organisational boundary, so it is parsed by a worker, never in the web request: the page
# keeps at most MAX_BYTES + 1 bytes of the upload (enough for the service to refuse an oversized file with its
# own words), queues the check and shows the outcome when it is ready. The outcome waits in the cache for the
# person who uploaded the file, and the stored copy is deleted as soon as the check has run.
OUTCOME_SECONDS = 60 * 60
PENDING, IMPORTED, REFUSED = "pending", "imported", "refused"


def _outcome_key(token: str) -> str:
    return f"regional-import:{token}"


def _outcome_write(token: str, *, user_id: int, state: str, **details) -> None:
    cache.set(_outcome_key(token), {"user_id": user_id, "state": state, **details}, OUTCOME_SECONDS)


def import_outcome(token: str, *, user_id: int) -> dict | None:
    """What became of an upload: {"state": pending/imported/refused, ...}, or None when the token is unknown,
    expired or someone else's."""
    if not token or not _ID.match(token):
        return None
    outcome = cache.get(_outcome_key(token))
    return outcome if outcome and outcome.get("user_id") == user_id else None


def import_start(*, by, board, upload) -> str:
    """Keep the upload (no more than the limit allows) and queue its check; returns the token to ask after it."""
    token = secrets.token_hex(16)
    suffix = ".json" if (upload.name or "").lower().endswith(".json") else ".upload"
    stored = default_storage.save(f"regional-imports/{token}{suffix}", ContentFile(upload.read(MAX_BYTES + 1)))
    _outcome_write(token, user_id=by.pk, state=PENDING)
    import_file.enqueue(token, stored, board.pk, by.pk)
    return token


@task()
def import_file(token: str, stored_name: str, board_id: int, user_id: int) -> str:
    """Parse and import an uploaded regional file, in the worker; the outcome is left for the uploader."""
    from casereview.core.errors import ServiceError
    from casereview.partnership.models import Board, User

    from .services import regional_import

    try:
        user, board = User.objects.get(pk=user_id), Board.objects.get(pk=board_id)
        with default_storage.open(stored_name) as file:
            try:
                record = regional_import(by=user, board=board, file=file)
            except ServiceError as error:
                _outcome_write(token, user_id=user_id, state=REFUSED, message=error.message, field=error.field)
                return REFUSED
        _outcome_write(token, user_id=user_id, state=IMPORTED, source_board=record.source_board,
                       summaries=record.summaries.count())
        return IMPORTED
    finally:
        default_storage.delete(stored_name)
