import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from .links import without_live_links
from .models import OutboundEmail

logger = logging.getLogger(__name__)


@task()
def send_daily_digests() -> str:
    from .services import send_daily_digests as make_digests

    return f"{make_digests()} digest(s)"


@task()
def send_email(email_id: int) -> str:
    """Send one queued email; on failure record why and try again later, up to EMAIL_MAX_ATTEMPTS."""
    email = OutboundEmail.objects.filter(pk=email_id, status=OutboundEmail.Status.QUEUED).first()
    if email is None:
        return "nothing to send"
    try:
        message = EmailMessage(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
        for attachment in email.attachments.filter(removed_after_sending=False):
            message.attach(attachment.filename, bytes(attachment.content), attachment.content_type)
        message.send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any transport failure is recorded and retried, never lost
        email.attempts += 1
        email.last_error = f"{type(exc).__name__}: {exc}"[:500]
        final = email.attempts >= settings.EMAIL_MAX_ATTEMPTS
        if final:
            email.mark_failed()
        email.save(update_fields=["attempts", "last_error", "status"])
        logger.warning("email failed", extra={"email_id": email.pk, "attempts": email.attempts, "final": final})
        if not final:
            _retry_later(email)
        return "failed"
    email.attempts += 1
    email.mark_sent(at=timezone.now())
    _forget_live_links(email)
    email.save(update_fields=["attempts", "status", "sent_at", "last_error", "body", "links_removed"])
    email.attachments.update(content=b"", removed_after_sending=True)
    for item in email.items.all():  # the emails a digest carried
        _forget_live_links(item)
        item.save(update_fields=["body", "links_removed"])
    return "sent"


def _forget_live_links(email: OutboundEmail) -> None:
    """Once delivered, the stored copy keeps no link that works (a set-password link): the log must not be a
    way into someone's account."""
    body = without_live_links(email.body)
    if body != email.body:
        email.body = body
        email.links_removed = True


def _retry_later(email: OutboundEmail) -> None:
    backoff = timedelta(minutes=2 ** email.attempts)
    backend_supports_defer = getattr(send_email.get_backend(), "supports_defer", False)
    if backend_supports_defer:
        transaction.on_commit(
            lambda: send_email.using(run_after=timezone.now() + backoff).enqueue(email.pk)
        )
