from datetime import UTC, datetime

from casereview.committees.ics import Invitation, calendar, escape_text, fold
from casereview.committees.quorum import Attendee, compute_quorum


def _q(*attendees, chair=True, needed=3):
    return compute_quorum(requires_chair=chair, agencies_needed=needed, attendees=list(attendees))


def test_the_chair_and_three_agencies_are_quorate():
    q = _q(Attendee("chair", "Health", True), Attendee("member", "Police", True), Attendee("member", "School", True),
           Attendee("member", "Housing", True))
    assert q.quorate and q.text == "Quorate: chair present; 3 of 3 agency representatives (Housing, Police, School)"


def test_without_the_chair_it_is_not_quorate():
    q = _q(Attendee("chair", "Health", False), Attendee("member", "Police", True), Attendee("member", "School", True),
           Attendee("member", "Housing", True))
    assert not q.quorate and q.text.startswith("Not quorate: chair absent")


def test_a_vice_chair_stands_in_for_the_chair():
    q = _q(Attendee("chair", "Health", False), Attendee("vice_chair", "Police", True),
           Attendee("member", "School", True), Attendee("member", "Housing", True), Attendee("member", "GP", True))
    assert q.quorate and q.agencies == ("GP", "Housing", "School")


def test_two_people_from_one_agency_count_once_and_advisers_never():
    q = _q(Attendee("chair", "Health", True), Attendee("member", "Police", True), Attendee("member", "Police", True),
           Attendee("adviser", "School", True), Attendee("member", None, True))
    assert not q.quorate and q.agencies == ("Police",)


def test_ics_text_is_escaped_per_rfc_5545():
    assert escape_text("a;b,c\\d\nnext") == "a\\;b\\,c\\\\d\\nnext"


def test_long_lines_fold_at_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "é" * 80
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_a_calendar_uses_crlf_and_utc_times():
    text = calendar(Invitation(uid="meeting-1@x", sequence=0, starts_at=datetime(2026, 6, 1, 9, tzinfo=UTC),
                               ends_at=datetime(2026, 6, 1, 11, tzinfo=UTC), summary="Performance Committee",
                               location="Room 1, Town Hall", description="Agenda:\n1. Minutes",
                               organizer_email="board@x.example", attendees=(('Pat "PC" Chair', "pat@x.example"),)),
                    now=datetime(2026, 5, 1, tzinfo=UTC))
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "DTSTART:20260601T090000Z\r\n" in text and "LOCATION:Room 1\\, Town Hall\r\n" in text
    assert "DESCRIPTION:Agenda:\\n1. Minutes\r\n" in text
    assert 'ATTENDEE;CN="Pat \'PC\' Chair";ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:pat@x.example' in text.replace("\r\n ", "")
