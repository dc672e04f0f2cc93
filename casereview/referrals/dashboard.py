"""Home page panels ("Waiting for you"): the Business Manager's referrals by urgency, the SCR Committee's
referrals to consider, the Chair's decisions, and what waits on an agency's lead. Each row says what is
needed and by when."""

from django.urls import reverse

from casereview.deadlines.services import board_closures, urgency_key
from casereview.lib.dates import today
from casereview.lib.formats import long_date
from casereview.partnership.roles import Role

from .clocks import next_clock, referral_clocks
from .models import Referral
from .permissions import can_decide, can_manage_referrals, can_work_matrix
from .progress import waiting_on
from .selectors import information_requests_for_agency, referrals_visible_to


def _clock_text(view) -> str:
    if view is None:
        return "No deadline running"
    return f"{view.status.label}: {view.name}, due {long_date(view.due)} ({view.days_text})"


def manager_panel(user):
    if not can_manage_referrals(user):
        return None
    day = today()
    closures = board_closures(user.board_id)
    rows = []
    open_referrals = (referrals_visible_to(user).exclude(status__in=[Referral.Status.DRAFT, Referral.Status.CLOSED])
                      .prefetch_related("information_requests__agency", "panel_log"))
    for referral in open_referrals:
        clock = next_clock(referral_clocks(referral, today=day, closures=closures))
        rows.append(((0, *urgency_key(clock)) if clock else (1, 0, 0), {
            "url": reverse("referrals:detail", args=[referral.pk]),
            "cells": [f"{referral.reference} ({referral.case.pseudonym})", referral.get_status_display(),
                      _clock_text(clock), waiting_on(referral, day)],
        }))
    rows.sort(key=lambda pair: pair[0])
    return {"title": "Open referrals, most urgent first", "headings": ["Referral", "Status", "Next deadline",
                                                                     "Waiting on"],
            "rows": [row for _, row in rows], "empty": "There are no open referrals.",
            "link": {"url": reverse("referrals:list"), "text": "All referrals"}}


def scr_committee_panel(user):
    """The SCR Committee's hand-off: received referrals waiting for the decision matrix or for routing."""
    if not can_work_matrix(user) or can_manage_referrals(user):  # the committee; the manager has their own panel
        return None
    day = today()
    rows = []
    for r in referrals_visible_to(user).filter(status=Referral.Status.RECEIVED).prefetch_related("panel_log"):
        step = "Complete the decision matrix" if r.considers_scr else "Route the referral"
        url = reverse("referrals:matrix" if r.considers_scr else "referrals:route", args=[r.pk])
        rows.append({"url": url, "cells": [f"{r.reference} ({r.case.pseudonym})", step,
                                           _clock_text(next_clock(referral_clocks(r, today=day)))]})
    if not rows:
        return None
    return {"title": "Referrals waiting for the SCR Committee", "headings": ["Referral", "What is needed",
                                                                           "Deadline"], "rows": rows}


def lead_panel(user):
    drafts = [r for r in referrals_visible_to(user).filter(status=Referral.Status.DRAFT)
              if user.agency_id == r.referrer_agency_id and user.has_role(Role.AGENCY_LEAD)]
    requests = list(information_requests_for_agency(user))
    if not drafts and not requests:
        return None
    day = today()
    rows = [{"url": reverse("referrals:detail", args=[r.pk]),
             "cells": [r.reference, "Draft referral to approve and submit", f"Written by {r.referrer_name}"]}
            for r in drafts]
    rows += [{"url": reverse("referrals:answer", args=[q.pk]),
              "cells": [q.referral.reference, f"Summary of {q.agency.short_code}'s involvement",
                        f"{q.tracking(day)}: due {long_date(q.due_on)}"]} for q in requests]
    return {"title": "Referrals waiting for you", "headings": ["Referral", "What is needed", "When"], "rows": rows}


def chair_panel(user):
    if not can_decide(user):
        return None
    day = today()
    referrals = referrals_visible_to(user).filter(status=Referral.Status.RECOMMENDED).prefetch_related("panel_log")
    rows = []
    for r in referrals:
        clock = next_clock(referral_clocks(r, today=day))
        rows.append({"url": reverse("referrals:decide", args=[r.pk]),
                     "cells": [f"{r.reference} ({r.case.pseudonym})", r.matrix.get_recommended_outcome_display(),
                               _clock_text(clock)]})
    if not rows:
        return None
    return {"title": "Referrals awaiting your decision", "headings": ["Referral", "Recommended", "Deadline"],
            "rows": rows}
