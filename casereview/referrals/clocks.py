"""Which rule-pack clocks a referral runs, and what starts and stops each. The lengths, and which events start a
clock, live in the packs (casereview/lib/rulepacks); every clock is found through resolve_clock, so a board on
any pack sees the clocks its regime has and the framework's for the rest."""

from dataclasses import dataclass
from datetime import date

from casereview.deadlines.services import ClockView, board_closures, clock_view, urgency_key
from casereview.lib.dates import today as board_today

from .models import PanelLogEntry, Referral


@dataclass(frozen=True)
class ClockUse:
    slugs: tuple[str, ...]  # the names this step's clock has under the packs, the board's own tried first
    stops: str  # the referral date that meets it
    waiting_on: str
    scr_only: bool = False  # only where an SCR was considered (never for a learning or good-practice referral)


REFERRAL_CLOCKS = (
    # Working Together 2018: the local authority tells the national Panel within five working days.
    ClockUse(("incident-notification",), "incident_notification_sent", "Business Manager (serious incident "
             "notification to the national Panel)", scr_only=True),
    # The decision: the framework's month from notification (lscb-2015) or the rapid review (wt-2018).
    ClockUse(("rapid-review", "scr-decision"), "decision", "Independent Chair (decision)"),
    ClockUse(("panel-notice",), "panel_sent_on", "Business Manager (National Panel notice)", scr_only=True),
)


def referral_dates(referral: Referral) -> dict[str, date | None]:
    """The referral's dates for each event a pack can name (casereview.lib.clocks.START_EVENTS), and the dates
    that meet its clocks."""
    decision = getattr(referral, "decision", None)
    routing = getattr(referral, "cir_consideration", None)
    notice = getattr(referral, "panel_notice", None)
    decided_on = decision.decided_on if decision else (
        routing.decided_on if routing is not None and not referral.considers_scr else None)
    notified = [e.on for e in referral.panel_log.all() if e.kind == PanelLogEntry.Kind.INCIDENT_NOTIFIED]
    return {
        "board-notified": referral.board_notified_on,
        "referral-received": referral.received_on,
        "incident-notification-sent": min(notified) if notified else None,
        "decision": decided_on,
        "incident_notification_sent": min(notified) if notified else None,
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
        if use.scr_only and not referral.considers_scr:
            continue
        view = clock_view(board=referral.board, slugs=use.slugs, events=dates, met_on=dates[use.stops],
                          today=today, waiting_on=use.waiting_on, closures=closures)
        if view is not None:
            views.append(view)
    return views


def next_clock(views: list[ClockView]) -> ClockView | None:
    running = [v for v in views if v.running]
    return min(running, key=urgency_key) if running else None


# Chronologies asked for while a referral is considered inform the decision. A pack may give them their own
# clock ("referral-chronology"); neither of ours does, so they fall back to the decision's clock (the rapid
# review under wt-2018, the framework's month under lscb-2015): they are due by the time the decision is.
REFERRAL_CHRONOLOGY_SLUGS = ("referral-chronology", "rapid-review", "scr-decision")


def referral_chronology_due(referral: Referral, *, today: date | None = None) -> date | None:
    """When chronologies requested at referral stage are due, by the board's rule pack (see above); None when
    the clock has not started (the referral is not yet received)."""
    view = clock_view(board=referral.board, slugs=REFERRAL_CHRONOLOGY_SLUGS, events=referral_dates(referral),
                      met_on=None, today=today or board_today(), waiting_on="Agencies (chronologies)",
                      closures=board_closures(referral.board_id))
    return view.due if view is not None else None
