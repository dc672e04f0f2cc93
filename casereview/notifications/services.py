from django.db import transaction
from django.db.models import Model

from casereview.audit.services import audit_record

from .models import OutboundEmail
from .tasks import send_email


def email_queue(*, to: str, subject: str, body: str, board_id: int | None, about: Model | None = None,
                by=None) -> OutboundEmail:
    """Record an email and send it in the background once the surrounding transaction commits."""
    email = OutboundEmail.objects.create(
        board_id=board_id, to=to, subject=subject, body=body,
        about_type=about._meta.label_lower if about is not None else "",
        about_id=str(about.pk) if about is not None else "",
    )
    transaction.on_commit(lambda: send_email.enqueue(email.pk))
    return email


def email_retry(*, by, email: OutboundEmail) -> OutboundEmail:
    """Put a failed email back in the queue, from the email log."""
    with transaction.atomic():
        email.status = OutboundEmail.Status.QUEUED
        email.attempts = 0
        email.save(update_fields=["status", "attempts"])
        audit_record(by=by, action="email.retried", obj=email, label=email.subject[:80], board_id=email.board_id)
        transaction.on_commit(lambda: send_email.enqueue(email.pk))
    return email
