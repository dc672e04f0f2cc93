"""The agenda pack (Word, from a generated docxtpl template) and the calendar invitation (.ics)."""

from django.conf import settings
from django.utils import timezone

from casereview.actions import reports, wordgen
from casereview.lib.dates import today as board_today
from casereview.lib.formats import long_date, short_date, time_of_day, weekday_date
from casereview.lib.office import DocumentSetup

from .ics import Invitation, calendar
from .models import AgendaItem, Meeting
from .selectors import meeting_quorum, members_of

PACK_SPEC = [
    ("title", "{{ committee }}"),
    ("para", "Agenda and papers", "bold"),
    ("para", "{{ when }}. {{ location }}."),
    ("para", "{{ quorum_rule }}.{% if quorum %} At the meeting: {{ quorum }}.{% endif %}"),
    ("heading", "Members", 1),
    ("table", "m in members", ["Name", "Position", "Represents"],
     ["{{ m.name }}", "{{ m.position }}", "{{ m.represents }}"]),
    ("heading", "Agenda", 1),
    ("table", "i in items", ["No.", "Item", "Presented by"], ["{{ i.order }}", "{{ i.title }}", "{{ i.presenter }}"]),
    ("pagebreak",),
    ("heading", "Papers", 1),
    ("loop", "i in items", [
        ("heading", "{{ i.order }}. {{ i.title }}", 2),
        ("para", "{{ i.paper }}"),
        ("if", "i.rows", [
            ("table", "r in i.rows", ["Plan", "Action", "What", "Lead and owner", "Target", "RAG", "Why listed",
                                      "Latest narrative"],
             ["{{ r.plan }}", "{{ r.reference }}", "{{ r.description }}", "{{ r.agency }}, {{ r.owner }}",
              "{{ r.target }}", "{{ r.rag }} ({{ r.percent }})", "{{ r.flag_text }}", "{{ r.narrative }}"]),
        ]),
    ]),
    ("if", "decisions", [
        ("heading", "Decisions", 1),
        ("table", "d in decisions", ["Item", "Decision", "Quorum when recorded"],
         ["{{ d.item }}", "{{ d.text }}", "{{ d.quorum }}"]),
    ]),
    ("if", "actions", [
        ("heading", "Actions from the meeting", 1),
        ("table", "a in actions", ["Action", "Owner", "Due", "Done"],
         ["{{ a.description }}", "{{ a.owner }}", "{{ a.due }}", "{{ a.done }}"]),
    ]),
    ("if", "minutes", [("heading", "Minutes", 1), ("para", "{{ minutes }}")]),
]


def _when(meeting: Meeting) -> str:
    start = timezone.localtime(meeting.starts_at)
    end = timezone.localtime(meeting.ends_at)
    return f"{weekday_date(start)}, {time_of_day(start)} to {time_of_day(end)}"


def agenda_pack(meeting: Meeting, user) -> bytes:
    today = board_today()
    exception_rows = None
    items = []
    for item in meeting.agenda_items.all():
        rows = []
        if item.kind == AgendaItem.Kind.EXCEPTION_REPORT:
            if exception_rows is None:
                exception_rows = reports.build(user, "exception", today).rows
            rows = exception_rows
        items.append({"order": item.order, "title": item.title, "presenter": item.presenter, "paper": item.paper,
                      "rows": rows})
    held = meeting.state == Meeting.State.HELD
    context = {
        "committee": meeting.committee.name, "when": _when(meeting), "location": meeting.location,
        "quorum_rule": meeting.committee.quorum_rule_text(),
        "quorum": meeting_quorum(meeting).text if held else "",
        "members": [{"name": str(m.user), "position": m.get_position_display(),
                     "represents": m.represents.name if m.represents else ""}
                    for m in members_of(meeting.committee)],
        "items": items,
        "decisions": [{"item": d.agenda_item.title if d.agenda_item else "", "text": d.text, "quorum": d.quorum_note}
                      for d in meeting.decisions.select_related("agenda_item")],
        "actions": [{"description": a.description, "owner": str(a.owner), "due": short_date(a.due_date),
                     "done": short_date(a.done_on)}
                    for a in meeting.actions.select_related("owner")],
        "minutes": meeting.minutes,
    }
    setup = DocumentSetup(title=f"{meeting.committee.name}: agenda and papers, {long_date(meeting.starts_at)}",
                          board_name=meeting.board.name, marking=meeting.board.protective_marking, landscape=True,
                          font_size=10)
    return wordgen.render("committee-agenda-pack", PACK_SPEC, context, setup=setup)


def invitation(meeting: Meeting) -> str:
    host = (settings.ALLOWED_HOSTS or ["casereview"])[0]
    lines = [f"{item.order}. {item.title}" for item in meeting.agenda_items.all()]
    description = f"{meeting.committee.quorum_rule_text()}."
    if lines:
        description += "\n\nAgenda:\n" + "\n".join(lines)
    attendees = tuple((str(m.user), m.user.email) for m in members_of(meeting.committee) if m.user.email)
    return calendar(Invitation(
        uid=f"meeting-{meeting.pk}-{meeting.board.slug}@{host}", sequence=meeting.ics_sequence,
        starts_at=meeting.starts_at, ends_at=meeting.ends_at, summary=meeting.committee.name,
        location=meeting.location, description=description,
        organizer_email=settings.DEFAULT_FROM_EMAIL.split("<")[-1].rstrip(">").strip(),
        attendees=attendees, cancelled=meeting.state == Meeting.State.CANCELLED), now=timezone.now())
