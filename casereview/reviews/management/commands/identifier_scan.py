"""Run the publication identifier check on any file, outside the service.

    python manage.py identifier_scan --people PEOPLE.json FILE

For boards checking a document before it enters the service, and for the benchmark. FILE is a
UTF-8 ``.txt``, a ``.docx`` or a ``.pdf`` (the same limits as an upload); PEOPLE.json is a list of
objects with the keys ``label``, ``full_name``, ``aliases`` (a list), ``date_of_birth`` (ISO date
or null), ``address``, ``postcode`` and ``school``.

Each hit is printed on its own line as ``START<TAB>END<TAB>KIND<TAB>MATCHED TEXT``: START and END
are character offsets into the file's extracted text (for a ``.txt`` file, its decoded text).
A line break, tab or backslash inside the matched text is written as ``\\n``, ``\\t`` or ``\\\\`` so
that every hit stays on one line. Exit status: 1 when anything was found, 0 when the file is
clean, 2 when the file or PEOPLE.json cannot be read (the message says why).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casereview.lib.documents import DocumentError, detect_document_type, extract_text
from casereview.lib.identifiers import KnownIdentifier, person_identifiers, scan

BAD_INPUT = 2
FOUND = 1

_TEXT_KEYS = ("full_name", "address", "postcode", "school")


def _bad(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def read_people(path: Path) -> list[KnownIdentifier]:
    """The identifiers listed in a PEOPLE.json file, or CommandError saying what is wrong with it."""
    try:
        people = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise _bad(f"Cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise _bad(f"{path} is not valid JSON saved as UTF-8: {error}") from None
    if not isinstance(people, list):
        raise _bad(f"{path} must hold a list of people, one object each")
    known: list[KnownIdentifier] = []
    for number, person in enumerate(people, start=1):
        where = f"{path}, person {number}"
        if not isinstance(person, dict):
            raise _bad(f"{where} is not an object")
        label = person.get("label")
        if not isinstance(label, str) or not label.strip():
            raise _bad(f"{where} needs a label, such as \"Child K\"")
        for key in _TEXT_KEYS:
            if not isinstance(person.get(key) or "", str):
                raise _bad(f"{where}: {key} must be a string")
        aliases = person.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(alias, str) for alias in aliases):
            raise _bad(f"{where}: aliases must be a list of strings")
        born = person.get("date_of_birth")
        if born is not None:
            try:
                born = date.fromisoformat(born)
            except (TypeError, ValueError):
                raise _bad(f"{where}: date_of_birth must be an ISO date such as 2012-03-03, or null") from None
        known += person_identifiers(
            label.strip(),
            full_name=person.get("full_name") or "",
            aliases=aliases,
            date_of_birth=born,
            address=person.get("address") or "",
            postcode=person.get("postcode") or "",
            school=person.get("school") or "",
        )
    return known


def read_document(path: Path) -> str:
    """The text of the file as the check reads it, with the same limits as an upload."""
    try:
        size = path.stat().st_size
        if size > settings.UPLOAD_MAX_BYTES:
            raise _bad(f"{path} is larger than the {settings.UPLOAD_MAX_BYTES // (1024 * 1024)} MB an upload may be")
        data = path.read_bytes()
    except OSError as error:
        raise _bad(f"Cannot read {path}: {error.strerror or error}") from None
    try:
        kind = detect_document_type(data, path.name, max_bytes=settings.UPLOAD_MAX_BYTES)
        return extract_text(data, kind)
    except DocumentError as error:
        raise _bad(f"{path}: {error}") from None


def one_line(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


class Command(BaseCommand):
    help = "Look for text that could identify the people listed in PEOPLE.json (or anyone) in a .txt, .docx or .pdf."

    def add_arguments(self, parser):
        parser.add_argument("--people", required=True, type=Path, help="PEOPLE.json: who the document is about")
        parser.add_argument("file", type=Path, help="the .txt (UTF-8), .docx or .pdf file to check")

    def handle(self, *args, **options):
        known = read_people(options["people"])
        text = read_document(options["file"])
        hits = scan(text, known)
        for hit in hits:
            self.stdout.write(f"{hit.start}\t{hit.end}\t{hit.kind}\t{one_line(hit.matched_text)}")
        self.stdout.flush()
        if hits:
            sys.exit(FOUND)
