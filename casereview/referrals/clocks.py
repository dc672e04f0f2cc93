"""Which rule-pack clocks a referral runs, and what starts and stops each. The lengths live in the packs."""

from dataclasses import dataclass
from datetime import date

from casereview.deadlines.services import ClockView, board_closures, board_today, clock_view, urgency_key

from .models import Referral


@dataclass(frozen=True)
class ClockUse:
    slug: str
    starts: str  # the referral date that starts it
    stops: str  # the referral date that meets it
    waiting_on: str


# A board's pack decides which of these exist for it: lscb-2015 has scr-decision and panel-notice;
# wt-2018 has rapid-review (15 working days from the notification).
REFERRAL_CLOCKS = (
    ClockUse("scr-decision", "received_on", "decided_on", "Independent Chair (decision)"),
    ClockUse("rapid-review", "received_on", "decided_on", "SCR Committee and Independent Chair (rapid review)"),
    ClockUse("panel-notice", "decided_on", "panel_sent_on", "Business Manager (National Panel notice)"),
)


def referral_dates(referral: Referral) -> dict[str, date | None]:
    decision = getattr(referral, "decision", None)
    notice = getattr(referral, "panel_notice", None)
    return {
        "received_on": referral.received_on,
        "decided_on": decision.decided_on if decision else None,
        "panel_sent_on": notice.sent_on if notice else None,
    }


def referral_clocks(referral: Referral, *, today: date | None = None,
                    closures: frozenset[date] | None = None) -> list[ClockView]:
    today = today or board_today()
    if closures is None:
        closures = board_closures(referral.board_id)
    dates = referral_dates(referral)
    views = []
    for use in REFERRAL_CLOCKS:
        view = clock_view(board=referral.board, slug=use.slug, start=dates[use.starts], met_on=dates[use.stops],
                          today=today, waiting_on=use.waiting_on, closures=closures)
        if view is not None:
            views.append(view)
    return views


def next_clock(views: list[ClockView]) -> ClockView | None:
    running = [v for v in views if v.running]
    return min(running, key=urgency_key) if running else None
