"""API v1: referrals (read) through the referrals app's selectors, and the board's rule-pack clocks."""

from datetime import date, datetime

from ninja import Field, Query, Schema

from casereview.deadlines.services import board_closures, board_pack, board_today
from casereview.lib import clocks
from casereview.referrals import services
from casereview.referrals.clocks import next_clock, referral_clocks
from casereview.referrals.models import ChairDecision, Referral
from casereview.referrals.progress import waiting_on
from casereview.referrals.selectors import referral_get_for_user, referrals_visible_to

from .common import ClockOut, PageQuery, Text, board_agency, choices, clock_out, paged, unknown_agency
from .core import ERRORS, api

ReferralStatus = choices("ReferralStatus", Referral.Status.values)
ReferralPurpose = choices("ReferralPurpose", Referral.Purpose.values)
RulePackSlug = choices("RulePackSlug", [pack.slug for pack in clocks.available_packs()])


class ReferralFilters(Schema):
    status: ReferralStatus | None = Field(None, description="Only referrals at this step")
    purpose: ReferralPurpose | None = None
    reference: Text = Field("", description="Only the referral with this reference (any case)")
    agency: Text = Field("", description="Only referrals raised by the agency with this short code, e.g. POL")


class ReferralOut(Schema):
    id: int
    reference: str
    status: str
    status_label: str
    purpose: str
    referrer_agency: str = Field(description="Short code of the agency that raised it")
    referred_on: date
    incident_date: date
    received_on: date | None
    case_reference: str
    pseudonym: str
    waiting_on: str = Field(description="Who the referral is waiting on now")
    next_clock: ClockOut | None = Field(description="The most urgent running clock, if any")


class ReferralPage(Schema):
    items: list[ReferralOut]
    count: int


class CriterionOut(Schema):
    code: str
    label: str


class InformationRequestOut(Schema):
    agency: str
    requested_on: date
    due_on: date
    received_on: date | None
    tracking: str = Field(description="Requested, Overdue or Received")


class DecisionOut(Schema):
    decision: str
    label: str
    decided_on: date
    rationale: str
    review_reference: str | None
    feedback_sent_on: date | None


class ReferralDetailOut(ReferralOut):
    protective_marking: str
    referrer_name: str
    referrer_role: str
    submitted_at: datetime | None
    meeting_on: date | None
    plan_status: str
    plan_category: str
    looked_after: str
    open_to_csc: str
    criteria: list[CriterionOut]
    narrative: str
    key_dates: str
    where_and_with_whom: str
    clocks: list[ClockOut]
    information_requests: list[InformationRequestOut]
    decision: DecisionOut | None


def _referral_out(referral: Referral, views: list, today: date) -> dict:
    upcoming = next_clock(views)
    return {
        "id": referral.pk, "reference": referral.reference, "status": referral.status,
        "status_label": referral.get_status_display(), "purpose": referral.purpose,
        "referrer_agency": referral.referrer_agency.short_code if referral.referrer_agency_id else "", "referred_on": referral.referred_on,
        "incident_date": referral.incident_date, "received_on": referral.received_on,
        "case_reference": referral.case.reference, "pseudonym": referral.case.pseudonym,
        "waiting_on": waiting_on(referral, today), "next_clock": clock_out(upcoming) if upcoming else None,
    }


def _decision_out(decision: ChairDecision | None) -> dict | None:
    if decision is None:
        return None
    return {"decision": decision.decision, "label": decision.get_decision_display(),
            "decided_on": decision.decided_on, "rationale": decision.rationale,
            "review_reference": decision.review.reference if decision.review_id else None,
            "feedback_sent_on": decision.feedback_sent_on}


def _with_related(referrals):
    return referrals.select_related("case", "referrer_agency", "board", "decision", "panel_notice") \
        .prefetch_related("information_requests__agency")


@api.get("/referrals", response={200: ReferralPage, **ERRORS},
         summary="Referrals the token's owner may see, newest first")
def referral_list(request, query: Query[ReferralFilters], page: Query[PageQuery]):
    referrals = referrals_visible_to(request.user)
    if query.status:
        referrals = referrals.filter(status=query.status)
    if query.purpose:
        referrals = referrals.filter(purpose=query.purpose)
    if query.reference:
        referrals = referrals.filter(reference__iexact=query.reference)
    if query.agency:
        agency = board_agency(request.user, query.agency)
        if agency is None:
            return unknown_agency(query.agency)
        referrals = referrals.filter(referrer_agency=agency)
    today, closures = board_today(), board_closures(request.user.board_id)
    return paged(_with_related(referrals).order_by("-created_at", "-id"), page,
                 lambda r: _referral_out(r, referral_clocks(r, today=today, closures=closures), today))


@api.get("/referrals/{referral_id}", response={200: ReferralDetailOut, **ERRORS},
         summary="One referral with its clocks, call for information and decision (audited as a view)")
def referral_detail(request, referral_id: int):
    referral = referral_get_for_user(request.user, referral_id)
    referral = _with_related(Referral.objects.filter(pk=referral.pk)).get()
    services.referral_viewed(by=request.user, referral=referral, what="api")
    today = board_today()
    views = referral_clocks(referral, today=today, closures=board_closures(referral.board_id))
    return {
        **_referral_out(referral, views, today),
        "protective_marking": referral.protective_marking, "referrer_name": referral.referrer_name,
        "referrer_role": referral.referrer_role, "submitted_at": referral.submitted_at,
        "meeting_on": referral.meeting_on, "plan_status": referral.plan_status,
        "plan_category": referral.plan_category, "looked_after": referral.looked_after,
        "open_to_csc": referral.open_to_csc,
        "criteria": [{"code": code, "label": Referral.Criterion(code).label} for code in referral.criteria
                     if code in Referral.Criterion.values],
        "narrative": referral.narrative, "key_dates": referral.key_dates,
        "where_and_with_whom": referral.where_and_with_whom,
        "clocks": [clock_out(view) for view in views],
        "information_requests": [{"agency": r.agency.short_code, "requested_on": r.requested_on, "due_on": r.due_on,
                                  "received_on": r.received_on, "tracking": r.tracking(today)}
                                 for r in referral.information_requests.all()],
        "decision": _decision_out(getattr(referral, "decision", None)),
    }


# --- The board's rule pack ---------------------------------------------------------------------------------

class RuleClockOut(Schema):
    slug: str
    name: str
    start_event: str
    amount: int
    unit: str = Field(description="calendar_days, calendar_months or working_days")
    direction: str = Field(description="after, or before (the latest day to act before the start event)")
    length: str = Field(description='In words, e.g. "1 calendar month after"')
    informational: bool = Field(description="A reminder or minimum period rather than a deadline")
    verification: str
    source: str


class RulePackOut(Schema):
    pack: str
    title: str
    description: str
    board_pack: bool = Field(description="True when this is the pack the token owner's board runs on")
    clocks: list[RuleClockOut]


class PackQuery(Schema):
    pack: RulePackSlug | None = Field(None, description="A rule pack (default: the board's own pack)")


@api.get("/clocks", response={200: RulePackOut, **ERRORS},
         summary="The clocks of the board's rule pack (or another pack), with their lengths and sources")
def rule_pack_clocks(request, query: Query[PackQuery]):
    own = board_pack(request.user.board) if request.user.board_id else clocks.get_pack(clocks.DEFAULT_PACK)
    pack = clocks.get_pack(query.pack) if query.pack else own
    return {"pack": pack.slug, "title": pack.title, "description": pack.description,
            "board_pack": pack.slug == own.slug,
            "clocks": [{"slug": c.slug, "name": c.name, "start_event": c.start_event, "amount": c.amount,
                        "unit": str(c.unit), "direction": str(c.direction), "length": c.length_text,
                        "informational": c.informational, "verification": str(c.verification),
                        "source": c.source} for c in pack.clocks]}
