"""What counts as an acceptable evidence file. The whole content decides the type, through the service's one
upload checker (`casereview.lib.uploads`); the name must agree with it.

Checking only the first bytes is not enough: a `%PDF-` header followed by a program, or a zip named .docx that
unpacks to gigabytes, would pass. So a PDF must also end like one, an image must be whole, text must be text
throughout, and an Office file is opened within the zip limits and must hold the parts its kind needs.
"""

from pathlib import PurePath

from casereview.lib.uploads import (
    ZIP_MAGIC,
    ReadBudget,
    UploadRejected,
    check_size,
    is_utf8_text,
    open_office_zip,
    sniff,
)

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
# The part every genuine file of the kind has, besides [Content_Types].xml.
_OFFICE_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
_OFFICE_NAMES = {"docx": "a Word document", "xlsx": "an Excel workbook", "pptx": "a PowerPoint presentation"}
# Signatures of Windows and Linux programs: never evidence, wherever they sit in the file.
_EMBEDDED_PROGRAMS = (b"MZ\x90\x00", b"\x7fELF\x02\x01")
PDF_TAIL_BYTES = 2048


class EvidenceFileError(ValueError):
    """Why a file was refused, written for the person who uploaded it."""


def check_evidence(data: bytes, filename: str, max_bytes: int) -> str:
    """The MIME type to store for an acceptable file, or EvidenceFileError saying what is wrong."""
    name = PurePath(filename or "").name or "The selected file"
    suffix = PurePath(name).suffix.lower()
    try:
        check_size(len(data), max_bytes, name)
    except UploadRejected as error:
        raise EvidenceFileError(str(error)) from None
    if suffix not in ALLOWED:
        raise EvidenceFileError(f"{name} must be a {ALLOWED_TEXT} file")
    kind, mime = ALLOWED[suffix]
    not_really = f"{name} is not really a {suffix[1:].upper()} file: save it again and upload it"
    try:
        if not _content_is(kind, data, name):
            raise EvidenceFileError(not_really)
    except UploadRejected as error:
        raise EvidenceFileError(str(error)) from None
    return mime


def _content_is(kind: str, data: bytes, name: str) -> bool:
    found = sniff(data[:16])
    if kind == "text":
        return found is None and is_utf8_text(data)
    if kind in _OFFICE_MAIN_PART:
        return data.startswith(ZIP_MAGIC) and _office_is(kind, data, name)
    if found != kind:
        return False
    if kind == "pdf":
        # A PDF ends with its end-of-file marker; a header glued onto something else does not.
        return b"%%EOF" in data[-PDF_TAIL_BYTES:] and not _has_program(data)
    if kind == "png":
        return data.rstrip(b"\x00").endswith(b"IEND\xaeB`\x82") and not _has_program(data)
    if kind == "jpeg":
        return data.rstrip(b"\x00").endswith(b"\xff\xd9") and not _has_program(data)
    return False


def _has_program(data: bytes) -> bool:
    return any(signature in data for signature in _EMBEDDED_PROGRAMS)


def _office_is(kind: str, data: bytes, name: str) -> bool:
    main = _OFFICE_MAIN_PART[kind]
    archive = open_office_zip(data, name, ["[Content_Types].xml", main], _OFFICE_NAMES[kind])
    with archive:
        budget = ReadBudget(remaining=50 * 1024 * 1024, name=name)
        types = budget.read(archive, "[Content_Types].xml")
        budget.read(archive, main)
    return b"<Types" in types
