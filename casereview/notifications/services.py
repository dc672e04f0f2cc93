from django.db import transaction
from django.db.models import Model
from django.db.models.functions import Lower
from django_fsm import can_proceed

from casereview.audit.services import audit_record
from casereview.core.errors import ServiceError

from .models import EmailAttachment, EmailPreference, OutboundEmail
from .tasks import send_email


def _wants_digest(to: str) -> bool:
    from casereview.partnership.models import User

    return User.objects.filter(email__iexact=to, is_active=True,
                               email_preference__frequency=EmailPreference.Frequency.DAILY).exists()


def email_queue(*, to: str, subject: str, body: str, board_id: int | None, about: Model | None = None,
                by=None, digest: bool = True,
                attachments: list[tuple[str, bytes, str]] | None = None) -> OutboundEmail:
    """Record an email and send it in the background once the surrounding transaction commits.

    For someone who chose a daily digest, the email is held and goes out inside the next morning's digest
    instead (pass digest=False for mail that cannot wait, such as an account invitation). `attachments` are
    (file name, content, MIME type); an email with attachments is never folded into a digest."""
    held = digest and not attachments and _wants_digest(to)
    email = OutboundEmail.objects.create(
        board_id=board_id, to=to, subject=subject, body=body,
        about_type=about._meta.label_lower if about is not None else "",
        about_id=str(about.pk) if about is not None else "",
        status=OutboundEmail.Status.HELD if held else OutboundEmail.Status.QUEUED,
    )
    for filename, content, content_type in attachments or []:
        EmailAttachment.objects.create(email=email, filename=filename, content_type=content_type,
                                       size=len(content), content=content)
    if not held:
        transaction.on_commit(lambda: send_email.enqueue(email.pk))
    return email


def email_retry(*, by, email: OutboundEmail) -> OutboundEmail:
    """Put a failed email back in the queue, from the email log."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update(of=("self",)).get(pk=email.pk)
        if not can_proceed(email.retry):
            raise ServiceError("This email is not waiting for a retry: it has been sent or queued again")
        email.retry()
        email.save(update_fields=["status", "attempts"])
        audit_record(by=by, action="email.retried", obj=email, label=email.subject[:80], board_id=email.board_id)
        transaction.on_commit(lambda: send_email.enqueue(email.pk))
    return email


def email_preference_get(user) -> EmailPreference:
    return EmailPreference.objects.filter(user=user).first() or EmailPreference(user=user)


def email_preference_set(*, by, user, frequency: str) -> EmailPreference:
    """Choose single emails or a daily digest. Going back to single emails sends anything held straight away."""
    if frequency not in EmailPreference.Frequency.values:
        raise ServiceError("Choose how you want to get emails", field="frequency")
    with transaction.atomic():
        preference, _ = EmailPreference.objects.select_for_update(of=("self",)).get_or_create(user=user)
        previous = preference.frequency
        preference.frequency = frequency
        preference.save()
        released = []
        if frequency == EmailPreference.Frequency.IMMEDIATE and user.email:
            held = OutboundEmail.objects.select_for_update(of=("self",)).filter(to__iexact=user.email,
                                                                    status=OutboundEmail.Status.HELD)
            for email in held:
                email.release()
                email.save(update_fields=["status"])
                released.append(email.pk)
        audit_record(by=by, action="email.preference_changed", obj=preference, board_id=user.board_id,
                     detail={"from": previous, "to": frequency, "released": len(released)})
        for pk in released:
            transaction.on_commit(lambda pk=pk: send_email.enqueue(pk))
    return preference


def send_daily_digests() -> int:
    """One digest email for each person with held emails: recorded like any email, then sent. Returns how many."""
    recipients = (OutboundEmail.objects.filter(status=OutboundEmail.Status.HELD)
                  .annotate(address=Lower("to")).values_list("address", flat=True).distinct())
    made = 0
    for to in list(recipients):
        with transaction.atomic():
            items = list(OutboundEmail.objects.select_for_update(of=("self",))
                         .filter(to__iexact=to, status=OutboundEmail.Status.HELD).order_by("created_at", "id"))
            if not items:
                continue
            digest = OutboundEmail.objects.create(
                board_id=items[0].board_id, to=items[0].to, about_type="notifications.digest",
                subject=f"CaseReview: your daily digest ({len(items)} update{'s' if len(items) != 1 else ''})",
                body=_digest_body(items),
            )
            for item in items:
                item.fold_into(digest)
                item.save(update_fields=["status", "digest"])
            audit_record(by=None, action="email.digest_queued", obj=digest, label=digest.subject,
                         board_id=digest.board_id, detail={"emails": len(items)})
            transaction.on_commit(lambda pk=digest.pk: send_email.enqueue(pk))
            made += 1
    return made


def _digest_body(items: list[OutboundEmail]) -> str:
    parts = [f"Here is what happened in CaseReview since your last digest ({len(items)} "
             f"update{'s' if len(items) != 1 else ''}).", ""]
    for number, item in enumerate(items, start=1):
        parts += [f"{number}. {item.subject}", "", item.body.strip(), "", "-" * 40, ""]
    parts.append("You chose one digest a day. To get each email as it happens, change it under "
                 "'How you get emails' in your account.")
    return "\n".join(parts)
