from datetime import date

from django.db.models import QuerySet

from casereview.core.permissions import can_read_audit

from .models import AuditEvent


def audit_events_for(
    user,
    *,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """The audit trail of the user's own board, filtered. Nobody sees another board's events."""
    if not can_read_audit(user):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(board_id=user.board_id)
    if actor:
        events = events.filter(actor_username__icontains=actor)
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    if object_id:
        events = events.filter(object_id=object_id)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events
