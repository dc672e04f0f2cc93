"""Clocks as the rest of the service sees them: the board's rule pack and closure days applied to a record's
dates, and reminder emails that go once before and once on the due date."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Model

from casereview.lib import dates
from casereview.lib.clocks import (
    DEFAULT_PACK,
    DUE_SOON_DAYS,
    Clock,
    ClockStatus,
    Direction,
    RulePack,
    Status,
    Unit,
    UnknownClock,
    UnknownPack,
    Verification,
    clock_start,
    clock_status,
    due_date,
    get_pack,
    resolve_clock,
)
from casereview.lib.formats import long_date
from casereview.notifications.services import email_queue
from casereview.partnership.models import ClosureDay

from .models import ClockReminder

# The one "today" is casereview.lib.dates.today; this name stays for callers outside this app (the api).
board_today = dates.today


def board_pack(board) -> RulePack:
    """The board's rule pack as a whole (for listing its clocks); a single clock comes from resolve_clock."""
    try:
        return get_pack(board.rule_pack)
    except UnknownPack:
        return get_pack(DEFAULT_PACK)


def board_closures(board_id: int | None) -> frozenset[date]:
    if board_id is None:
        return frozenset()
    return frozenset(ClosureDay.objects.filter(board_id=board_id).values_list("date", flat=True))


@dataclass(frozen=True)
class ClockView:
    """One clock of one record: what it is, when it started, when it is due and where it stands."""

    clock: Clock
    start: date
    status: ClockStatus
    # Who has to act for the clock to be met, e.g. "Independent Chair".
    waiting_on: str = ""

    @property
    def slug(self) -> str:
        return self.clock.slug

    @property
    def name(self) -> str:
        return self.clock.name

    @property
    def due(self) -> date:
        return self.status.due

    @property
    def running(self) -> bool:
        return self.status.met_on is None

    @property
    def days_text(self) -> str:
        return days_text(self.status)


def days_text(status: ClockStatus) -> str:
    n = status.days_left
    if status.met_on is not None:
        if n >= 0:
            return f"met on {long_date(status.met_on)}"
        late = -n
        return f"met on {long_date(status.met_on)}, {late} day{'s' if late != 1 else ''} late"
    if n == 0:
        return "due today"
    if n > 0:
        return f"{n} day{'s' if n != 1 else ''} left"
    return f"{-n} day{'s' if n != -1 else ''} overdue"


def board_clock(board, *slugs: str) -> Clock | None:
    """The clock the board's pack uses for this step (see resolve_clock: the board's pack, then the framework's),
    or None when no pack has a clock for it (a step of another regime the board does not run)."""
    try:
        return resolve_clock(board.rule_pack, *slugs)
    except UnknownClock:
        return None


def clock_view(*, board, slugs: tuple[str, ...], events: dict[str, date | None], met_on: date | None = None,
               today: date | None = None, waiting_on: str = "",
               closures: frozenset[date] | None = None) -> ClockView | None:
    """The board's clock for `slugs`, started by the earliest of the events its pack names (`events` maps
    casereview.lib.clocks.START_EVENTS to the record's dates), or None when it has not started or no pack has
    such a clock."""
    clock = board_clock(board, *slugs)
    if clock is None:
        return None
    start = clock_start(clock, events)
    if start is None:
        return None
    if closures is None:
        closures = board_closures(board.pk)
    due = due_date(clock, start, closures)
    status = clock_status(due, today or dates.today(), met_on)
    return ClockView(clock=clock, start=start, status=status, waiting_on=waiting_on)


def fixed_due_view(*, slug: str, name: str, start: date, due: date, today: date | None = None,
                   met_on: date | None = None, waiting_on: str = "") -> ClockView:
    """A deadline someone set (an agency's return date, a Panel request's answer date) shown like a clock."""
    clock = Clock(slug=slug, name=name, start_event="Set when the request was made", amount=1,
                  unit=Unit.CALENDAR_DAYS, direction=Direction.AFTER, verification=Verification.NOT_VERIFIED,
                  source="The date given when the request was made")
    return ClockView(clock=clock, start=start, status=clock_status(due, today or dates.today(), met_on),
                     waiting_on=waiting_on)


def urgency_key(view: ClockView) -> tuple:
    """Sort order for "most urgent first": running clocks by days left, then met ones."""
    return (0 if view.running else 1, view.status.days_left)


def reminder_kind(status: ClockStatus, today: date) -> str | None:
    """Which reminder is due today for a running clock: one when it enters the last days, one on the day.

    A run missed for any reason catches up: a clock already past its due date still gets the "on" reminder.
    """
    if status.met_on is not None:
        return None
    if status.status in (Status.OVERDUE,) or status.days_left == 0:
        return ClockReminder.Kind.ON
    if 0 < status.days_left <= DUE_SOON_DAYS:
        return ClockReminder.Kind.BEFORE
    return None


def remind_once(*, board_id: int, about: Model, clock: str, due: date, kind: str, recipients: Iterable[str],
                subject: str, body: str) -> bool:
    """Queue the reminder to each recipient unless it was already sent; True when it was queued now."""
    about_type, about_id = about._meta.label_lower, str(about.pk)
    try:
        with transaction.atomic():
            ClockReminder.objects.create(board_id=board_id, about_type=about_type, about_id=about_id,
                                         clock=clock, due=due, kind=kind)
            for to in sorted(set(filter(None, recipients))):
                email_queue(to=to, subject=subject, body=body, board_id=board_id, about=about)
    except IntegrityError:
        return False
    return True
