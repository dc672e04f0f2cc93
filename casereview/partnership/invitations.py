"""Invitations: the link a new person follows to choose a password and join their board.

The link is signed and carries a fingerprint of the account's password, so it works once (choosing a
password changes the fingerprint) and for ``INVITATION_DAYS`` days. Following it proves the person reads
that email address, so the address is marked verified: no separate "verify your email" step.
"""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from casereview.audit.services import audit_record
from casereview.notifications.services import email_queue

from .models import User

INVITATION_DAYS = 14
_SALT = "casereview.partnership.invitation"
SERVICE_NAME = "CaseReview"


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.pk}:{user.password}:{user.email}".encode()).hexdigest()[:20]


def invitation_token(user: User) -> str:
    return signing.dumps({"u": user.pk, "f": _fingerprint(user)}, salt=_SALT, compress=True)


def invitation_url(user: User) -> str:
    """The absolute link for the invitation, built from CASEREVIEW_SITE_URL (never from a request's host)."""
    return settings.SITE_URL + reverse("join", args=[invitation_token(user)])


class LinkState(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    USED = "used"
    INVALID = "invalid"


@dataclass(frozen=True)
class Checked:
    state: LinkState
    user: User | None = None


def check_invitation(token: str) -> Checked:
    """What the link is: valid (with its person), expired, already used, or not a link we made."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=INVITATION_DAYS * 24 * 3600)
        expired = False
    except signing.SignatureExpired:
        payload = signing.loads(token, salt=_SALT)
        expired = True
    except signing.BadSignature:
        return Checked(LinkState.INVALID)
    user = User.objects.filter(pk=payload.get("u"), is_active=True, board__isnull=False).first()
    if user is None:
        return Checked(LinkState.INVALID)
    if user.has_usable_password() or payload.get("f") != _fingerprint(user):
        return Checked(LinkState.USED, user)
    if expired:
        return Checked(LinkState.EXPIRED, user)
    return Checked(LinkState.VALID, user)


def send_invitation(person: User) -> str:
    """Email the person their invitation (queued, so it goes with the change that caused it). Returns the link."""
    link = invitation_url(person)
    board_name = person.board.name if person.board_id else SERVICE_NAME
    body = render_to_string("partnership/email/welcome.txt", {
        "person": person, "link": link, "board_name": board_name, "service_name": SERVICE_NAME,
        "days": INVITATION_DAYS,
    })
    email_queue(to=person.email, subject=f"{board_name}: your {SERVICE_NAME} account is ready", body=body,
                board_id=person.board_id, about=person, digest=False)
    return link


def accept_invitation(*, person: User, password: str) -> User:
    """The person chose their password: set it, mark their email address verified, record it."""
    with transaction.atomic():
        person = User.objects.select_for_update(of=("self",)).get(pk=person.pk)
        if person.has_usable_password():
            from .services import PartnershipError

            raise PartnershipError("This invitation has already been used. Sign in with your password.")
        person.set_password(password)
        person.save(update_fields=["password"])
        EmailAddress.objects.filter(user=person).exclude(email__iexact=person.email).update(primary=False)
        address, _ = EmailAddress.objects.get_or_create(user=person, email=person.email,
                                                        defaults={"primary": True, "verified": True})
        if not (address.verified and address.primary):
            address.verified = address.primary = True
            address.save(update_fields=["verified", "primary"])
        audit_record(by=person, action="person.joined", obj=person, label=person.username)
    return person


RENEW_AT_MOST_EVERY = timedelta(minutes=15)


def renew_invitation(*, person: User) -> None:
    """Send a fresh invitation to the address already on the account (never to an address a visitor types),
    at most once every RENEW_AT_MOST_EVERY, so an old link cannot be used to flood someone's inbox."""
    from casereview.notifications.models import OutboundEmail

    if person.has_usable_password() or not person.is_active or not person.email:
        return
    recent = OutboundEmail.objects.filter(about_type=person._meta.label_lower, about_id=str(person.pk),
                                          created_at__gte=timezone.now() - RENEW_AT_MOST_EVERY)
    if recent.exists():
        return
    with transaction.atomic():
        send_invitation(person)
        audit_record(by=None, action="person.invitation_renewed", obj=person, label=person.username)
