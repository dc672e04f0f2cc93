"""Accept an uploaded report for the publication safety check and read all of its text.

Uploads are untrusted: the type is decided by content rather than by name, a Word file is
checked for zip-bomb shapes before anything is unpacked, and its XML is parsed with
defusedxml. Text is read from everywhere a published file can carry it, including places a
writer may not look before publishing (tracked deletions, comments, headers and footers,
image descriptions, link targets and document properties).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath
from typing import Literal
from xml.etree.ElementTree import Element, ParseError

from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from pypdf import PdfReader

from .formats import file_size
from .uploads import ReadBudget, UploadRejected, ZipLimits, is_utf8_text, open_office_zip

DocumentKind = Literal["docx", "pdf", "txt"]

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# A long report with pictures has a few hundred parts and unpacks to tens of megabytes, most of
# it pictures, which are never read. The text-bearing parts of a real report come to a few
# megabytes; what is read is capped across all of them, so many small parts cannot add up to a
# bomb (190 parts of 1 MB each zip to 0.6 MB).
DOCX_LIMITS = ZipLimits(max_entries=1_000)
MAX_DOCX_PARTS_READ = 200
MAX_DOCX_TEXT_BYTES = 32 * 1024 * 1024

_ONLY_THESE = "Only Word (.docx), PDF or plain text files can be checked"
_NOT_WORD = "This file ends in .docx but is not a Word document"
_DAMAGED_WORD = "This Word document is damaged and could not be read"
_OLE_WORD = (
    "This file ends in .docx but is a password-protected or old-style Word file: "
    "remove the password, or save it as a .docx, and upload it again"
)
# Password-protected Word files and old .doc files are both OLE compound files.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Deleted text and field codes (a HYPERLINK "mailto:..." field) survive in the published file.
_TEXT_TAGS = frozenset({f"{_W}t", f"{_W}delText", f"{_W}instrText"})
_SHOWN_TAGS = frozenset({f"{_W}t"})  # what the page shows: no deleted text, no field codes
_LINE_TAGS = frozenset({f"{_W}p", f"{_W}br", f"{_W}cr"})
_DRAWING_PROPERTIES = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
# Word saves a text box twice, for new and for old readers; reading both would report every
# identifier in it twice.
_OLD_READERS_COPY = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_EXTRA_PARTS = re.compile(r"word/(header|footer|footnotes|endnotes|comments)(\d*)\.xml")
_EXTRA_PART_ORDER = ("header", "footer", "footnotes", "endnotes", "comments")


class DocumentError(ValueError):
    """An upload that cannot be checked; the message is written to be shown to the uploader."""


def detect_document_type(data: bytes, filename: str, max_bytes: int = MAX_UPLOAD_BYTES) -> DocumentKind:
    """What kind of document ``data`` really is, or DocumentError saying why it is refused.

    The name only says which kind is claimed; the content must prove it, so a renamed
    spreadsheet or executable is refused rather than half-read.
    """
    if not data:
        raise DocumentError("The file is empty")
    if len(data) > max_bytes:
        raise DocumentError(f"The file is larger than {file_size(max_bytes)}")
    suffix = PurePath(filename).suffix.lower()
    if suffix == ".docx":
        _open_docx(data).close()
        return "docx"
    if suffix == ".pdf":
        if not data.startswith(b"%PDF-"):
            raise DocumentError("This file ends in .pdf but is not a PDF")
        return "pdf"
    if suffix == ".txt":
        if not is_utf8_text(data):
            raise DocumentError("This file ends in .txt but is not plain text saved as UTF-8")
        return "txt"
    raise DocumentError(_ONLY_THESE)


def extract_text(data: bytes, kind: DocumentKind) -> str:
    """All the text a reader of the published file could reach."""
    if kind == "docx":
        return _docx_text(data)
    if kind == "pdf":
        return _pdf_text(data)
    if kind == "txt":
        return _plain_text(data)
    raise ValueError(f"Unknown document kind: {kind!r}")


def extract_publishable_text(data: bytes, kind: DocumentKind) -> str:
    """The text a report shows its reader on the page, for the public PDF made from it: the body, its notes,
    headers and footers, but not tracked deletions, comments, field codes, link targets or properties."""
    if kind == "docx":
        return _docx_text(data, publishable=True)
    if kind == "pdf":
        return _pdf_text(data, publishable=True)
    return extract_text(data, kind)


def _plain_text(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DocumentError("This file is not plain text saved as UTF-8") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _open_docx(data: bytes) -> zipfile.ZipFile:
    """The Word file's zip archive, refused before unpacking if it could exhaust memory (the shared
    upload checker's limits on parts, total size and compression)."""
    if data.startswith(_OLE_MAGIC):
        raise DocumentError(_OLE_WORD)
    try:
        return open_office_zip(data, "This Word document", ["word/document.xml"], "a Word document", DOCX_LIMITS)
    except UploadRejected as error:
        message = str(error)
        # The checker names the file generically; a file that is not a zip at all gets the Word wording.
        raise DocumentError(_NOT_WORD if "is not a Word document" in message else message) from None


def _docx_text(data: bytes, publishable: bool = False) -> str:
    with _open_docx(data) as archive:
        names = archive.namelist()
        extra_parts = sorted(
            (match for match in map(_EXTRA_PARTS.fullmatch, names) if match),
            key=lambda m: (_EXTRA_PART_ORDER.index(m.group(1)), int(m.group(2) or 0)),
        )
        link_parts = [name for name in names if re.fullmatch(r"word/_rels/[^/]+\.rels", name)]
        core = ["docProps/core.xml"] if "docProps/core.xml" in names else []
        if publishable:
            extra_parts = [match for match in extra_parts if match.group(1) != "comments"]
            link_parts, core = [], []
        if 1 + len(extra_parts) + len(link_parts) + len(core) > MAX_DOCX_PARTS_READ:
            raise DocumentError(
                f"This Word document has more than {MAX_DOCX_PARTS_READ} headers, footers, notes and comments, "
                "far more than a real report: it may be a 'zip bomb', so it has not been opened"
            )
        budget = ReadBudget(MAX_DOCX_TEXT_BYTES, "This Word document")
        tags = _SHOWN_TAGS if publishable else _TEXT_TAGS
        sections = [_wordml_text(_read_xml(archive, "word/document.xml", budget), tags)]
        sections += [_wordml_text(_read_xml(archive, match.group(), budget), tags) for match in extra_parts]
        sections += [_link_targets(_read_xml(archive, name, budget)) for name in link_parts]
        sections += [_all_text(_read_xml(archive, name, budget)) for name in core]
    return "\n\n".join(section for section in sections if section.strip())


def _read_xml(archive: zipfile.ZipFile, name: str, budget: ReadBudget) -> Element:
    try:
        return SafeElementTree.fromstring(budget.read(archive, name), forbid_dtd=True)
    except UploadRejected as error:
        raise DocumentError(str(error)) from None
    except (ParseError, DefusedXmlException, zipfile.BadZipFile, NotImplementedError, RuntimeError):
        # RuntimeError: an encrypted entry; NotImplementedError: an unknown compression.
        raise DocumentError(_DAMAGED_WORD) from None


def _wordml_text(root: Element, text_tags: frozenset[str] = _TEXT_TAGS) -> str:
    pieces: list[str] = []
    # An explicit stack rather than recursion: an upload may nest elements deeply on purpose.
    stack = [root]
    while stack:
        element = stack.pop()
        if element.tag == _OLD_READERS_COPY:
            continue
        if element.tag in text_tags:
            pieces.append(element.text or "")
        elif element.tag in _LINE_TAGS:
            # Each paragraph, including each table cell's, starts a line of its own.
            pieces.append("\n")
        elif element.tag == f"{_W}tab":
            pieces.append("\t")
        elif element.tag == _DRAWING_PROPERTIES:
            # A picture's title and alt text are published with it.
            pieces.extend(f"\n{value}\n" for value in (element.get("title"), element.get("descr")) if value)
        stack.extend(reversed(element))
    return "".join(pieces).strip("\n")


def _link_targets(root: Element) -> str:
    return "\n".join(
        element.get("Target", "")
        for element in root.iter(_RELATIONSHIP)
        if element.get("TargetMode") == "External"
    )


def _all_text(root: Element) -> str:
    return "\n".join(element.text.strip() for element in root.iter() if element.text and element.text.strip())


def _pdf_text(data: bytes, publishable: bool = False) -> str:
    # pypdf raises many exception types on damaged files, none of which matter to the
    # uploader beyond "it could not be read".
    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception:
        raise DocumentError("This PDF is damaged and could not be read") from None
    if encrypted:
        # Many PDFs are encrypted only to restrict printing; those open with an empty password.
        try:
            opened = bool(reader.decrypt(""))
        except Exception:
            opened = False
        if not opened:
            raise DocumentError("This PDF is password-protected: upload a copy without a password")
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
        metadata = reader.metadata or {}
        properties = [str(metadata.get(key) or "") for key in ("/Title", "/Subject", "/Keywords")]
    except Exception:
        raise DocumentError("This PDF is damaged and could not be read") from None
    if not any(page.strip() for page in pages):
        # Passing a scanned report because no text was found would defeat the check.
        raise DocumentError(
            "No text could be read from this PDF. If it is a scanned image, upload the Word version instead"
        )
    if publishable:
        properties = []
    return "\n\n".join(part for part in [*pages, *properties] if part.strip())


_CORE_PROPERTIES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>{author}</dc:creator><cp:lastModifiedBy>{author}</cp:lastModifiedBy>"
    "<dc:language>en-GB</dc:language></cp:coreProperties>"
)
# Parts that name the people who worked on a document: who wrote, edited and commented, and custom fields.
_NAMING_PARTS = frozenset({"docProps/custom.xml", "word/people.xml", "word/commentsExtended.xml",
                           "word/commentsIds.xml", "word/commentsExtensible.xml"})
_NAMING_ELEMENTS = re.compile(rb"<(Company|Manager)>.*?</\1>", re.DOTALL)


def clean_word_properties(data: bytes, *, title: str, author: str) -> bytes:
    """A copy of a Word document whose properties name only the board: the title and author are replaced,
    the company, manager, custom properties and the list of people who edited it are removed. The body is
    untouched (it was checked as it is)."""
    from xml.sax.saxutils import escape

    budget = ReadBudget(MAX_DOCX_TEXT_BYTES * 4, "This Word document")
    output = io.BytesIO()
    with _open_docx(data) as archive, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as cleaned:
        for entry in archive.infolist():
            if entry.filename in _NAMING_PARTS:
                continue
            try:
                content = budget.read(archive, entry)
            except UploadRejected as error:
                raise DocumentError(str(error)) from None
            if entry.filename == "docProps/core.xml":
                content = _CORE_PROPERTIES.format(title=escape(title), author=escape(author)).encode()
            elif entry.filename == "docProps/app.xml":
                content = _NAMING_ELEMENTS.sub(b"", content)
            elif entry.filename.endswith(".rels"):
                # Relationships to the removed parts would leave the document pointing at nothing.
                content = re.sub(rb"<Relationship [^>]*Target=\"[^\"]*(?:custom|people|commentsExtended|"
                                 rb"commentsIds|commentsExtensible)\.xml\"[^>]*/>", b"", content)
            elif entry.filename == "[Content_Types].xml":
                content = re.sub(rb"<Override [^>]*PartName=\"/(?:docProps/custom|word/people|"
                                 rb"word/commentsExtended|word/commentsIds|word/commentsExtensible)\.xml\"[^>]*/>",
                                 b"", content)
            cleaned.writestr(entry.filename, content)
    return output.getvalue()
