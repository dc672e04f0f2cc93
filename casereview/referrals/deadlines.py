"""The referrals' running clocks for the board's Deadlines page (registered from apps.py)."""

from datetime import date

from django.urls import reverse

from casereview.deadlines.registry import Deadline

from .clocks import referral_clocks
from .models import Referral


def referral_deadlines(board, *, today: date, closures: frozenset[date]):
    referrals = (Referral.objects.filter(board=board).exclude(status__in=[Referral.Status.DRAFT,
                                                                          Referral.Status.CLOSED])
                 .select_related("case", "board").prefetch_related("case__case_agencies__agency", "panel_log"))
    for referral in referrals:
        agencies = tuple(sorted(link.agency.name for link in referral.case.case_agencies.all()))
        for view in referral_clocks(referral, today=today, closures=closures):
            yield Deadline(view=view, record=f"Referral {referral.reference} ({referral.case.pseudonym})",
                           url=reverse("referrals:detail", args=[referral.pk]), agencies=agencies)
