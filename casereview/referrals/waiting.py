"""What waits on a person in the referral process, for the "Waiting for you" list at the top of their home
page (registered from apps.py): the SCR Committee's decision matrix or routing, the Chair's decision, and an
agency lead's draft referrals and summaries of involvement. Each item carries the deadline that runs."""

from django.urls import reverse

from casereview.core.dashboard import WaitingItem
from casereview.lib.dates import today

from .clocks import next_clock, referral_clocks
from .models import Referral
from .permissions import can_decide, can_work_matrix, is_referrers_lead
from .selectors import information_requests_for_agency, referrals_visible_to, threshold_notices_for


def _due(referral, day):
    clock = next_clock(referral_clocks(referral, today=day))
    return clock.due if clock is not None else None


def matrix_waiting(user) -> list[WaitingItem]:
    if not can_work_matrix(user):
        return []
    day = today()
    items = []
    for r in referrals_visible_to(user).filter(status=Referral.Status.RECEIVED).prefetch_related("panel_log"):
        if r.considers_scr:
            items.append(WaitingItem(f"Complete the decision matrix for {r.reference} ({r.case.pseudonym})",
                                     reverse("referrals:matrix", args=[r.pk]), _due(r, day)))
        else:
            items.append(WaitingItem(f"Decide the route for {r.reference} ({r.case.pseudonym})",
                                     reverse("referrals:route", args=[r.pk]), _due(r, day)))
    return items


def decision_waiting(user) -> list[WaitingItem]:
    if not can_decide(user):
        return []
    day = today()
    return [WaitingItem(f"Decide whether to start a Serious Case Review for {r.reference} ({r.case.pseudonym})",
                        reverse("referrals:decide", args=[r.pk]), _due(r, day))
            for r in referrals_visible_to(user).filter(status=Referral.Status.RECOMMENDED).prefetch_related(
                "panel_log")]


def agency_lead_waiting(user) -> list[WaitingItem]:
    drafts = [WaitingItem(f"Approve and submit the draft referral {r.reference}",
                          reverse("referrals:detail", args=[r.pk]))
              for r in referrals_visible_to(user).filter(status=Referral.Status.DRAFT) if is_referrers_lead(user, r)]
    requests = [WaitingItem(f"Send {q.agency.short_code}'s summary of involvement for {q.referral.reference}",
                            reverse("referrals:answer", args=[q.pk]), q.due_on)
                for q in information_requests_for_agency(user)]
    return drafts + requests


def threshold_waiting(user) -> list[WaitingItem]:
    """The Performance Committee chair: a case may meet the threshold for a Serious Case Review; liaise until
    the Chair has decided (or the notice records that you did)."""
    undecided = (Referral.Status.RECEIVED, Referral.Status.RECOMMENDED)
    return [WaitingItem(f"Liaise with the SCR Committee chair and the Independent Chair: referral "
                        f"{n.referral.reference} may meet the threshold for a Serious Case Review",
                        reverse("referrals:threshold_notice", args=[n.pk]))
            for n in threshold_notices_for(user).filter(liaised_on__isnull=True, referral__status__in=undecided)]
