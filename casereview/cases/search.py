"""Cases in the header search: by reference or pseudonym, only among the cases the person may see."""

from django.db.models import Q
from django.urls import reverse

from casereview.core.search import LIMIT, Hit
from casereview.lib.formats import long_date

from .selectors import cases_visible_to


def case_search(user, query: str) -> list[Hit]:
    cases = cases_visible_to(user).filter(Q(reference__icontains=query) | Q(pseudonym__icontains=query))
    return [Hit("Case", f"{case.reference} ({case.pseudonym})", reverse("cases:detail", args=[case.pk]),
                f"Opened {long_date(case.opened_at)}") for case in cases[:LIMIT]]
