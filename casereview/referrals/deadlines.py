"""The referrals' running clocks for the board's Deadlines page (registered from apps.py)."""

from datetime import date

from django.urls import reverse

from casereview.deadlines.registry import Deadline
from casereview.deadlines.services import fixed_due_view

from .clocks import referral_clocks
from .models import Referral


def referral_deadlines(board, *, today: date, closures: frozenset[date]):
    referrals = (Referral.objects.filter(board=board).exclude(status__in=[Referral.Status.DRAFT,
                                                                          Referral.Status.CLOSED])
                 .select_related("case", "board").prefetch_related("case__case_agencies__agency", "panel_log",
                                                                   "information_requests__agency"))
    for referral in referrals:
        agencies = tuple(sorted(link.agency.name for link in referral.case.case_agencies.all()))
        for view in referral_clocks(referral, today=today, closures=closures):
            yield Deadline(view=view, record=f"Referral {referral.reference} ({referral.case.pseudonym})",
                           url=reverse("referrals:detail", args=[referral.pk]), agencies=agencies)
        for req in referral.information_requests.all():
            if req.received_on is None:
                waiting = (f"{req.agency.name} safeguarding lead" if req.delivered else
                           f"Business Manager: nobody at {req.agency.name} can receive the request")
                yield Deadline(view=fixed_due_view(slug="agency-summary", name="Agency's summary of involvement",
                                                   start=req.requested_on, due=req.due_on, today=today,
                                                   waiting_on=waiting),
                               record=f"Referral {referral.reference} ({referral.case.pseudonym})",
                               url=reverse("referrals:detail", args=[referral.pk]), agencies=(req.agency.name,))
        for entry in referral.panel_log.all():
            if entry.awaiting_answer:
                yield Deadline(view=fixed_due_view(slug="panel-request", name="Answer to a National Panel request",
                                                   start=entry.on, due=entry.due_on, today=today,
                                                   waiting_on="Business Manager"),
                               record=f"Referral {referral.reference} ({referral.case.pseudonym})",
                               url=reverse("referrals:detail", args=[referral.pk]), agencies=agencies)
