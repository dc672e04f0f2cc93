"""The reviews' running clocks for the board's Deadlines page, and the reviews in the header search (both
registered from apps.py)."""

from datetime import date

from django.db.models import Q
from django.urls import reverse

from casereview.core import search
from casereview.deadlines.registry import Deadline
from casereview.deadlines.services import fixed_due_view

from .models import Review
from .selectors import CLOSED_STATES, review_timescale, reviews_visible_to


def review_deadlines(board, *, today: date, closures: frozenset[date]):
    """Each open review's completion target (the rule pack's clock, or the target the SCR Committee set)."""
    reviews = (Review.objects.filter(board=board).exclude(status__in=CLOSED_STATES)
               .select_related("case", "board").prefetch_related("case__case_agencies__agency", "extensions",
                                                                 "pauses"))
    for review in reviews:
        timescale = review_timescale(review, today)
        if timescale.target is None:
            continue
        name = timescale.clock.name if timescale.clock else "Review completed (target set by the SCR Committee)"
        view = fixed_due_view(slug=timescale.clock.slug if timescale.clock else "review-target", name=name,
                              start=review.initiated_on, due=timescale.target, today=today,
                              met_on=timescale.status.met_on if timescale.status else None,
                              waiting_on="Lead reviewers")
        yield Deadline(view=view, record=f"Review {review.reference} ({review.case.pseudonym})",
                       url=reverse("reviews:detail", args=[review.pk]),
                       agencies=tuple(sorted(link.agency.name for link in review.case.case_agencies.all())))


def review_search(user, query: str) -> list[search.Hit]:
    found = reviews_visible_to(user).filter(Q(reference__icontains=query) | Q(title__icontains=query)
                                            | Q(case__pseudonym__icontains=query))
    return [search.Hit("Review", f"{r.reference} ({r.case.pseudonym})", reverse("reviews:detail", args=[r.pk]),
                       detail=r.get_type_display())
            for r in found.order_by("-initiated_on")[:search.LIMIT]]
