"""Referrals in the header search (registered from apps.py): by reference or the case's pseudonym."""

from django.db.models import Q
from django.urls import reverse

from casereview.core import search

from .selectors import referrals_visible_to


def referral_search(user, query: str) -> list[search.Hit]:
    found = referrals_visible_to(user).filter(Q(reference__icontains=query) | Q(case__pseudonym__icontains=query))
    return [search.Hit("Referral", f"{r.reference} ({r.case.pseudonym})", reverse("referrals:detail", args=[r.pk]),
                       detail=r.get_status_display())
            for r in found.select_related("case").order_by("-pk")[:search.LIMIT]]
