"""Calendar invitations (RFC 5545): text escaped, lines folded at 75 octets, every line ended by CRLF."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

CRLF = "\r\n"


def escape_text(value: str) -> str:
    """TEXT values: backslash, semicolon and comma are escaped; any line break becomes \\n (s.3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


_PARAM_UNSAFE = re.compile(r"[\x00-\x1f\x7f;:,]")
_ADDRESS_UNSAFE = re.compile(r'[\x00-\x20\x7f";,<>\\]')


def param_text(value: str) -> str:
    """A parameter value (a person's name in CN=...): line breaks and the characters that end a parameter become
    spaces and double quotes single ones, so a name can never start a property of its own (s.3.2)."""
    return " ".join(_PARAM_UNSAFE.sub(" ", value.replace('"', "'")).split())


def address(email: str) -> str:
    """An address after mailto: with nothing that could end the line or the value."""
    return _ADDRESS_UNSAFE.sub("", email)


def fold(line: str) -> str:
    """Split a content line into 75-octet pieces, each continuation starting with a space (s.3.1).

    Never splits inside a multi-byte UTF-8 character.
    """
    pieces, current, size, limit = [], "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    pieces.append(current)
    return CRLF.join(pieces)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Invitation:
    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str
    description: str
    organizer_email: str
    attendees: tuple[tuple[str, str], ...]  # (name, email)
    cancelled: bool = False


def calendar(invitation: Invitation, now: datetime) -> str:
    method = "CANCEL" if invitation.cancelled else "REQUEST"
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//CaseReview//Committee meetings//EN", "CALSCALE:GREGORIAN",
        f"METHOD:{method}", "BEGIN:VEVENT",
        f"UID:{address(invitation.uid)}", f"SEQUENCE:{invitation.sequence}", f"DTSTAMP:{_utc(now)}",
        f"DTSTART:{_utc(invitation.starts_at)}", f"DTEND:{_utc(invitation.ends_at)}",
        f"SUMMARY:{escape_text(invitation.summary)}", f"LOCATION:{escape_text(invitation.location)}",
        f"DESCRIPTION:{escape_text(invitation.description)}",
        f"STATUS:{'CANCELLED' if invitation.cancelled else 'CONFIRMED'}",
    ]
    if invitation.organizer_email:
        lines.append(f"ORGANIZER:mailto:{address(invitation.organizer_email)}")
    for name, email in invitation.attendees:
        lines.append(f'ATTENDEE;CN="{param_text(name)}";ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{address(email)}')
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)
