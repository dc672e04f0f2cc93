""""Waiting for you" for the Business Manager: invitations that ran out before the person joined."""

from datetime import timedelta

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import CharField, Max, OuterRef, Subquery
from django.db.models.functions import Cast
from django.urls import reverse

from casereview.core.dashboard import WaitingItem
from casereview.core.permissions import can_manage_board
from casereview.lib.dates import today
from casereview.notifications.models import OutboundEmail

from .invitations import INVITATION_DAYS
from .selectors import people_for


def expired_invitations(user) -> list[WaitingItem]:
    """People who never joined and whose last invitation has run out, due the day it ran out."""
    if not can_manage_board(user):
        return []
    last_sent = (OutboundEmail.objects.filter(about_type="partnership.user", about_id=OuterRef("pk_text"))
                 .values("about_id").annotate(at=Max("created_at")).values("at"))
    people = (people_for(user).filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)
              .annotate(pk_text=Cast("pk", CharField()), invited_at=Subquery(last_sent))
              .filter(invited_at__isnull=False))
    items = []
    for person in people:
        expires = person.invited_at.date() + timedelta(days=INVITATION_DAYS)
        if expires <= today():
            items.append(WaitingItem(f"{person}'s invitation ran out before they joined: send a new one",
                                     reverse("partnership:person_edit", args=[person.pk]), expires))
    return items
