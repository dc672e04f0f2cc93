from datetime import UTC, datetime

from casereview.committees.ics import Invitation, calendar, escape_text, fold
from casereview.committees.quorum import Attendee, compute_quorum, quorum_problems


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


def test_rule_6_a_vice_chair_stands_in_only_where_the_committees_rule_says_so():
    attendees = [Attendee("chair", "Health", False), Attendee("vice_chair", "Police", True),
                 Attendee("member", "School", True), Attendee("member", "Housing", True),
                 Attendee("member", "GP", True)]
    without_rule = compute_quorum(requires_chair=True, agencies_needed=3, attendees=attendees)
    assert not without_rule.quorate and without_rule.text.startswith("Not quorate: chair absent")
    with_rule = compute_quorum(requires_chair=True, agencies_needed=3, attendees=attendees, vice_chair_stands_in=True)
    assert with_rule.quorate and with_rule.agencies == ("GP", "Housing", "School")


def test_rule_6_the_performance_committee_needs_its_chair_and_three_agency_representatives():
    chair_and_two = _q(Attendee("chair", "Health", True), Attendee("member", "Police", True),
                       Attendee("member", "School", True))
    assert not chair_and_two.quorate
    assert chair_and_two.text == "Not quorate: chair present; 2 of 3 agency representatives (Police, School)"


def test_rule_6_a_membership_that_can_never_be_quorate_is_flagged():
    members = [Attendee("vice_chair", "Police", True), Attendee("member", "Police", True),
               Attendee("adviser", "School", True)]
    problems = quorum_problems(committee_name="Performance Committee", requires_chair=True, agencies_needed=3,
                               members=members)
    assert problems == [
        "The Performance Committee has no chair, so it can never be quorate: add its chair",
        "The Performance Committee needs 3 agency representatives besides the chair to be quorate, but its "
        "members represent only 1 agency (Police): add members from other agencies"]
    full = [Attendee("chair", "Health", True), *(Attendee("member", a, True) for a in ("GP", "Police", "School"))]
    assert quorum_problems(committee_name="Performance Committee", requires_chair=True, agencies_needed=3,
                           members=full) == []


def test_a_line_break_in_a_name_cannot_inject_a_calendar_property():
    invitation = Invitation(
        uid="meeting-1@casereview", sequence=0, starts_at=datetime(2026, 3, 2, 10, tzinfo=UTC),
        ends_at=datetime(2026, 3, 2, 12, tzinfo=UTC), summary="Performance Committee\r\nATTACH:http://x.example",
        location="Room 1", description="", organizer_email="board@x.example\r\nX-EVIL:1",
        attendees=(('Pat "Demo"\r\nATTACH:http://evil.example/a.exe', "pat@x.example\r\nX-EVIL:1"),))
    text = calendar(invitation, now=datetime(2026, 3, 1, tzinfo=UTC))
    unfolded = text.replace("\r\n ", "")
    properties = [line.split(":", 1)[0].split(";", 1)[0] for line in unfolded.split("\r\n") if line]
    assert "ATTACH" not in properties and "X-EVIL" not in properties
    assert "ATTENDEE;CN=\"Pat 'Demo' ATTACH http //evil.example/a.exe\"" in unfolded


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


def test_every_audit_event_of_actions_and_committees_has_a_readable_label():
    import re
    from pathlib import Path

    from casereview.actions.audit_labels import AUDIT_LABELS as ACTIONS
    from casereview.committees.audit_labels import AUDIT_LABELS as COMMITTEES

    root = Path(__file__).resolve().parents[2] / "casereview"
    codes = {code for app in ("actions", "committees") for path in (root / app).glob("*.py")
             for code in re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8"))}
    assert codes == set(ACTIONS) | set(COMMITTEES)
