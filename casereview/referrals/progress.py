"""Where a referral is and who it is waiting on: for the referral page, the list and the dashboard."""

from datetime import date

from .models import Referral


def waiting_on(referral: Referral, today: date) -> str:
    status = referral.status
    S = Referral.Status
    if status == S.DRAFT:
        return f"{referral.referrer_organisation_name} safeguarding lead (approve and submit)"
    if status == S.SUBMITTED:
        return "Business Manager (record receipt)"
    if status == S.RECEIVED:
        outstanding = [r for r in referral.information_requests.all() if not r.received_on]
        if outstanding:
            late = [r.agency.short_code for r in outstanding if r.delivered and today > r.due_on]
            lost = [r.agency.short_code for r in outstanding if not r.delivered]
            names = ", ".join(r.agency.short_code for r in outstanding)
            notes = ([f"overdue: {', '.join(late)}"] if late else []) + (
                [f"not delivered: {', '.join(lost)}"] if lost else [])
            return f"Agencies: {names} (information{'; ' + '; '.join(notes) if notes else ''})"
        return "SCR Committee (decision matrix)" if referral.considers_scr else "SCR Committee (routing)"
    if status == S.RECOMMENDED:
        return "Independent Chair (decision)"
    if status == S.DECIDED:
        items = []
        if not referral.feedback_sent_on:
            items.append("feedback to the referrer")
        if referral.considers_scr and not hasattr(referral, "panel_notice"):
            items.append("National Panel notice")
        cir = getattr(referral, "cir_consideration", None)
        who = "Business Manager"
        if cir is not None and cir.is_open:
            items.append("CIR consideration")
            who = "Business Manager and SCR Committee"
        return f"{who} ({', '.join(items)})" if items else "Nobody"
    return "Nobody: closed"
