"""The one check every uploaded file passes before anything parses it.

Files from agencies are hostile until proven otherwise. This module decides what a file really is from its
first bytes (never from its name), and bounds a zip-based Office file (.docx, .xlsx, .pptx, .ods) by what its
zip directory declares before a single part is inflated: the number of parts, their total size, and how far
each part is compressed. While parts are read, a budget counts the bytes actually inflated, so a file whose
directory lies is still stopped. Messages are written for the person who uploaded the file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field

from .formats import file_size

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# What the first bytes say a file is.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "pdf"),
    (ZIP_MAGIC, "zip"),
    (OLE_MAGIC, "ole"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"{\\rtf", "rtf"),
    (b"MZ", "executable"),
    (b"\x7fELF", "executable"),
)
DESCRIPTIONS = {
    "pdf": "a PDF",
    "zip": "a zip file",
    "ole": "an older Office file (.doc or .xls) or a password-protected Office file",
    "png": "an image",
    "jpeg": "an image",
    "gif": "an image",
    "rtf": "a Rich Text document",
    "executable": "a program",
}


class UploadRejected(ValueError):
    """The file cannot be accepted; str() says why and what to do, for the person who uploaded it."""


def sniff(head: bytes) -> str | None:
    """The kind of file its first bytes prove, or None (plain text, or something unknown)."""
    for magic, kind in _SIGNATURES:
        if head.startswith(magic):
            return kind
    return None


def describe(head: bytes) -> str:
    return DESCRIPTIONS.get(sniff(head) or "", "something else")


def is_utf8_text(data: bytes) -> bool:
    """Plain UTF-8 text with no NUL byte: what a text upload must be (a binary file renamed .txt is not)."""
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def check_size(size: int, max_bytes: int, name: str) -> None:
    if size == 0:
        raise UploadRejected(f"{name} is empty")
    if size > max_bytes:
        raise UploadRejected(f"{name} is larger than {file_size(max_bytes)}: make it smaller and upload it again")


@dataclass(frozen=True)
class ZipLimits:
    """Bounds on a zip-based Office file. A long report with pictures has a few hundred parts; a chronology
    workbook a few dozen, compressed 5 to 30 times. The limits sit far above real files and far below what
    exhausts a server."""

    max_entries: int = 2_000
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_ratio: float = 100.0
    # The smallest parts of a genuine file (empty styles, one repeated word) can compress beyond max_ratio;
    # above this size no genuine part does, so many small bombs are caught as well as one large one.
    ratio_checked_above_bytes: int = 64 * 1024


BOMB = "it may be a 'zip bomb', so it has not been opened"


def check_zip_directory(entries: Sequence[zipfile.ZipInfo], name: str, limits: ZipLimits = ZipLimits()) -> None:
    """Refuse a zip whose directory declares more than a real Office file would."""
    if len(entries) > limits.max_entries:
        raise UploadRejected(f"{name} holds {len(entries):,} parts, more than the {limits.max_entries:,} a real "
                             f"document needs: {BOMB}")
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_uncompressed_bytes:
        raise UploadRejected(f"{name} unpacks to {file_size(total)}, over the "
                             f"{file_size(limits.max_uncompressed_bytes)} limit: {BOMB}")
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise UploadRejected(f"{name} is encrypted: remove the password and upload it again")
        # Office only stores or deflates; other methods can expand a read far past the declared size.
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadRejected(f"{name} uses a kind of compression Office never writes, so it has not been opened")
        if (entry.file_size > limits.ratio_checked_above_bytes
                and entry.file_size > limits.max_ratio * max(entry.compress_size, 1)):
            raise UploadRejected(f"{name} has a part ({entry.filename}) compressed more than "
                                 f"{limits.max_ratio:g} to 1: {BOMB}")


def open_office_zip(data: bytes, name: str, required: Sequence[str], kind_name: str,
                    limits: ZipLimits = ZipLimits()) -> zipfile.ZipFile:
    """The file's zip archive once its directory passes the limits and it has the parts `kind_name` needs."""
    if not data.startswith(ZIP_MAGIC):
        raise UploadRejected(f"{name} is not {kind_name}: it looks like {describe(data[:8])}")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise UploadRejected(f"{name} is not {kind_name}: it is damaged") from None
    try:
        check_zip_directory(archive.infolist(), name, limits)
        names = set(archive.namelist())
        if not set(required) <= names:
            raise UploadRejected(f"{name} is not {kind_name}: it is a zip file of another kind")
        if any(part.lower().endswith("vbaproject.bin") for part in names):
            raise UploadRejected(f"{name} contains macros: save it without macros (as a plain .docx or .xlsx) "
                                 "and upload it again")
    except UploadRejected:
        archive.close()
        raise
    return archive


@dataclass
class ReadBudget:
    """How many inflated bytes may still be read from one upload, across every part read."""

    remaining: int
    name: str = "The file"
    spent: int = field(default=0)

    def read(self, archive: zipfile.ZipFile, part: str | zipfile.ZipInfo) -> bytes:
        with archive.open(part) as stream:
            data = stream.read(self.remaining + 1)
        if len(data) > self.remaining:
            raise UploadRejected(f"{self.name} unpacks to more than a real document would: {BOMB}")
        self.remaining -= len(data)
        self.spent += len(data)
        return data
