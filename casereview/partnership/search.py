"""Agencies in the header search, by name or short code, within the person's own board."""

from django.db.models import Q
from django.urls import reverse

from casereview.core.search import LIMIT, Hit

from .selectors import agencies_for


def agency_search(user, query: str) -> list[Hit]:
    agencies = agencies_for(user).filter(Q(name__icontains=query) | Q(short_code__iexact=query))
    return [Hit("Agency", f"{agency.name} ({agency.short_code})", reverse("partnership:agency_list"),
                agency.get_type_display() + ("" if agency.active else ", no longer a partner"))
            for agency in agencies[:LIMIT]]
