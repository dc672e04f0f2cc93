"""What counts as an acceptable evidence file. The content decides the type; the name must agree with it."""

import io
import zipfile
from pathlib import PurePath

# extension -> (what it must be, MIME type served back)
ALLOWED = {
    ".pdf": ("pdf", "application/pdf"),
    ".docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".pptx": ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ".png": ("png", "image/png"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".txt": ("text", "text/plain; charset=utf-8"),
    ".csv": ("text", "text/csv; charset=utf-8"),
}
ALLOWED_TEXT = "PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), PNG, JPEG, text or CSV"
_OFFICE_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}


class EvidenceFileError(ValueError):
    """Why a file was refused, written for the person who uploaded it."""


def describe_size(size: int) -> str:
    if size >= 1024 * 1024 and size % (1024 * 1024) == 0:
        return f"{size // (1024 * 1024)} MB"
    if size >= 1024 and size % 1024 == 0:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def check_evidence(data: bytes, filename: str, max_bytes: int) -> str:
    """The MIME type to store for an acceptable file, or EvidenceFileError saying what is wrong."""
    name = PurePath(filename or "").name
    suffix = PurePath(name).suffix.lower()
    if not data:
        raise EvidenceFileError(f"{name or 'The selected file'} is empty")
    if len(data) > max_bytes:
        raise EvidenceFileError(f"{name} must be smaller than {describe_size(max_bytes)}")
    if suffix not in ALLOWED:
        raise EvidenceFileError(f"{name} must be a {ALLOWED_TEXT} file")
    kind, mime = ALLOWED[suffix]
    if not _content_is(kind, data):
        raise EvidenceFileError(f"{name} is not really a {suffix[1:].upper()} file: save it again and upload it")
    return mime


def _content_is(kind: str, data: bytes) -> bool:
    if kind == "pdf":
        return data.startswith(b"%PDF-")
    if kind == "png":
        return data.startswith(b"\x89PNG\r\n\x1a\n")
    if kind == "jpeg":
        return data.startswith(b"\xff\xd8\xff")
    if kind == "text":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith(_OFFICE_PART[kind]) for n in names)
