from typing import Any

from django.db import connection, models, transaction

from .context import current_ip, request_events
from .models import AuditEvent


def audit_record(
    *,
    by,
    action: str,
    obj: models.Model | None = None,
    board_id: int | None = None,
    label: str = "",
    detail: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Write one audit event, inside the transaction of the change it describes: outside one it refuses, so an
    event can never be written for a change that then rolls back (or the other way round)."""
    if not in_transaction():
        raise RuntimeError("audit_record must run inside transaction.atomic(), with the change it records")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        label = label or _label_for(obj)
        if board_id is None:
            board_id = getattr(obj, "board_id", None)
    if board_id is None and by is not None:
        board_id = getattr(by, "board_id", None)
    authenticated = by is not None and getattr(by, "is_authenticated", False)
    written = request_events.get()
    if written is not None:
        written.append(action)
    return AuditEvent.objects.create(
        actor_id=by.pk if authenticated else None,
        actor_username=by.get_username() if authenticated else "",
        board_id=board_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=label[:200],
        ip_address=current_ip.get(),
        detail=detail or {},
    )


def _label_for(obj: models.Model) -> str:
    # Records that hold personal data expose `audit_label` (a reference, never a name).
    label = getattr(obj, "audit_label", None)
    return str(label() if callable(label) else label) if label is not None else f"#{obj.pk}"


def in_transaction() -> bool:
    """Inside an atomic block of our own: the test framework's wrapping block does not count."""
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def audit_access(*, by, action: str, obj: models.Model | None = None, **kwargs) -> AuditEvent:
    """Record that someone looked at, downloaded or exported something: a read has no transaction of its own,
    so this one opens it."""
    with transaction.atomic():
        return audit_record(by=by, action=action, obj=obj, **kwargs)
