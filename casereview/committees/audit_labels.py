"""Readable names for this app's audit events, for the audit trail's pages and exports (never the raw code)."""

AUDIT_LABELS = {
    "meeting.action_added": "Action from a meeting recorded",
    "meeting.action_done": "Action from a meeting done",
    "meeting.agenda_item_added": "Agenda item added",
    "meeting.agenda_item_removed": "Agenda item removed",
    "meeting.agenda_items_added": "Proposed items added to the agenda",
    "meeting.agenda_reordered": "Agenda reordered",
    "meeting.attendance_recorded": "Attendance recorded",
    "meeting.cancelled": "Meeting cancelled",
    "meeting.decision_recorded": "Decision recorded",
    "meeting.document_downloaded": "Meeting papers downloaded",
    "meeting.minutes_approved": "Minutes approved and circulated",
    "meeting.minutes_saved": "Minutes drafted",
    "meeting.scheduled": "Meetings scheduled",
    "meeting.viewed": "Meeting viewed",
}
