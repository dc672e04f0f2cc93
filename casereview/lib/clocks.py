"""Statutory clocks: rule packs loaded from data, and the date arithmetic behind them.

Each regime (the board's 2015 framework, Working Together 2018) is a rule pack in
`rulepacks/<slug>.toml`, so a timescale changes by editing data, not code.

Every clock is found through `resolve_clock(board.rule_pack, "slug", "other-slug")`: the board's pack is asked
first for each slug in turn, then the framework's own pack (DEFAULT_PACK). So a regime that has no clock of
its own for a step (Working Together 2018 sets no timescale for a Critical Incident Review) uses the
framework's, and a step never fails with UnknownClock. Only a clock neither pack has raises UnknownClock, which
callers use to mean "this regime has no such step" (the 2018 serious incident notification, for example).

A clock's `start_from` names the events that can start it; the earliest one recorded starts the clock
(e.g. the SCR decision runs from the board being notified of the incident or from the referral being
received, whichever came first). The events a record can supply are listed in `START_EVENTS`.
"""

import calendar
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from importlib import resources

import holidays

DEFAULT_PACK = "lscb-2015"

# "Due within 5 days" covers today and the five days after it.
DUE_SOON_DAYS = 5


class Unit(StrEnum):
    CALENDAR_DAYS = "calendar_days"
    CALENDAR_MONTHS = "calendar_months"
    WORKING_DAYS = "working_days"


class Direction(StrEnum):
    AFTER = "after"
    # For "send X at least N days before the given date": the due date is the latest day to send.
    BEFORE = "before"


class Verification(StrEnum):
    SEED = "seed"
    VERIFIED = "verified"
    NOT_VERIFIED = "not verified"


# The events a pack's `start_from` may name, and what each means. Apps map them to their records' dates.
START_EVENTS = {
    "board-notified": "The board was notified of the incident",
    "referral-received": "The board received the referral",
    "incident-notification-sent": "The serious incident notification was sent to the national Panel",
    "decision": "The decision on the referral (the Chair's, or the SCR Committee's routing)",
    "review-initiated": "The review was initiated",
}


class UnknownPack(LookupError):
    def __init__(self, slug: str, choices: list[str]) -> None:
        self.slug = slug
        self.choices = choices
        super().__init__(f"Unknown rule pack {slug!r}; valid packs: {', '.join(choices)}")


class UnknownClock(LookupError):
    def __init__(self, pack: str, slug: str, choices: list[str]) -> None:
        self.pack = pack
        self.slug = slug
        self.choices = choices
        super().__init__(f"Rule pack {pack!r} has no clock {slug!r}; valid clocks: {', '.join(choices)}")


@dataclass(frozen=True)
class Clock:
    slug: str
    name: str
    start_event: str
    amount: int
    unit: Unit
    direction: Direction
    verification: Verification
    source: str
    # Reminders and minimum periods (e.g. time online) rather than deadlines a board can miss.
    informational: bool = False
    # Events (keys of START_EVENTS) that can start the clock: the earliest one recorded does.
    start_from: tuple[str, ...] = ()

    @property
    def verification_label(self) -> str:
        """How sure the timescale is, in the board's words (never the pack's internal value)."""
        return {Verification.SEED: "from the board's framework", Verification.VERIFIED: "checked against the guidance",
                Verification.NOT_VERIFIED: "not checked against the guidance"}[self.verification]

    @property
    def length_text(self) -> str:
        """E.g. "1 calendar month after" or "7 working days before"."""
        noun = self.unit.replace("_", " ")
        if self.amount == 1:
            noun = noun.removesuffix("s")
        return f"{self.amount} {noun} {self.direction}"


@dataclass(frozen=True)
class RulePack:
    slug: str
    title: str
    description: str
    clocks: tuple[Clock, ...]

    def clock(self, slug: str) -> Clock:
        for clock in self.clocks:
            if clock.slug == slug:
                return clock
        raise UnknownClock(self.slug, slug, [c.slug for c in self.clocks])


def _parse_pack(text: str) -> RulePack:
    data = tomllib.loads(text)
    clocks = tuple(
        Clock(
            slug=c["slug"],
            name=c["name"],
            start_event=c["start_event"],
            amount=c["amount"],
            unit=Unit(c["unit"]),
            direction=Direction(c["direction"]),
            verification=Verification(c["verification"]),
            source=c["source"],
            informational=c.get("informational", False),
            start_from=tuple(c.get("start_from", ())),
        )
        for c in data["clocks"]
    )
    slugs = [c.slug for c in clocks]
    if len(set(slugs)) != len(slugs):
        raise ValueError(f"Rule pack {data['slug']!r} repeats a clock slug: {slugs}")
    if any(c.amount < 1 for c in clocks):
        raise ValueError(f"Rule pack {data['slug']!r} has a clock whose amount is not positive")
    unknown = {e for c in clocks for e in c.start_from} - set(START_EVENTS)
    if unknown:
        raise ValueError(f"Rule pack {data['slug']!r} starts a clock from unknown events: {sorted(unknown)}")
    return RulePack(slug=data["slug"], title=data["title"], description=data["description"], clocks=clocks)


@cache
def _packs() -> dict[str, RulePack]:
    files = resources.files("casereview.lib.rulepacks").iterdir()
    packs = [_parse_pack(f.read_text(encoding="utf-8")) for f in files if f.name.endswith(".toml")]
    # Directory order varies by platform; sorting keeps pack pickers stable.
    return {pack.slug: pack for pack in sorted(packs, key=lambda p: p.slug)}


def available_packs() -> list[RulePack]:
    return list(_packs().values())


def get_pack(slug: str) -> RulePack:
    packs = _packs()
    if slug not in packs:
        raise UnknownPack(slug, list(packs))
    return packs[slug]


def add_calendar_months(d: date, n: int) -> date:
    """Add n months (n may be negative), clamping to the end of a shorter month."""
    year, month_index = divmod(d.year * 12 + d.month - 1 + n, 12)
    month = month_index + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


@cache
def bank_holidays(year: int) -> frozenset[date]:
    """Bank holidays of England and Wales, including substitute days.

    England's and Wales's lists are identical (checked for 1995-2100 against holidays 0.109),
    so "ENG" serves both nations.
    """
    return frozenset(holidays.UnitedKingdom(subdiv="ENG", years=year))


def is_working_day(d: date, extra_closures: Collection[date] = frozenset()) -> bool:
    return d.weekday() < 5 and d not in bank_holidays(d.year) and d not in extra_closures


def add_working_days(d: date, n: int, extra_closures: Collection[date] = frozenset()) -> date:
    """Return the nth working day after d (before d when n is negative); d itself never counts."""
    step = timedelta(days=1 if n >= 0 else -1)
    remaining = abs(n)
    while remaining:
        d += step
        if is_working_day(d, extra_closures):
            remaining -= 1
    return d


def due_date(clock: Clock, start: date, extra_closures: Collection[date] = frozenset()) -> date:
    """The date a clock falls due when its start event happened (or, for "before", is planned) on start.

    extra_closures are the board's own closure days; they only affect working-day clocks.
    """
    amount = clock.amount if clock.direction is Direction.AFTER else -clock.amount
    match clock.unit:
        case Unit.CALENDAR_DAYS:
            return start + timedelta(days=amount)
        case Unit.CALENDAR_MONTHS:
            return add_calendar_months(start, amount)
        case Unit.WORKING_DAYS:
            return add_working_days(start, amount, extra_closures)


class Status(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    MET = "met"
    MET_LATE = "met_late"


_LABELS = {
    Status.ON_TRACK: "On track",
    Status.DUE_SOON: f"Due within {DUE_SOON_DAYS} days",
    Status.OVERDUE: "Overdue",
    Status.MET: "Met",
    Status.MET_LATE: "Met late",
}

# GOV.UK Frontend 6 has no govuk-tag--blue: a plain govuk-tag is blue.
_TAG_CLASSES = {
    Status.ON_TRACK: "govuk-tag govuk-tag--green",
    Status.DUE_SOON: "govuk-tag govuk-tag--yellow",
    Status.OVERDUE: "govuk-tag govuk-tag--red",
    Status.MET: "govuk-tag",
    Status.MET_LATE: "govuk-tag govuk-tag--orange",
}


@dataclass(frozen=True)
class ClockStatus:
    due: date
    # Once met, this is the margin on the met date rather than on today: negative means met late.
    days_left: int
    met_on: date | None
    status: Status

    @property
    def label(self) -> str:
        return _LABELS[self.status]

    @property
    def tag_class(self) -> str:
        return _TAG_CLASSES[self.status]


def clock_status(due: date, today: date, met_on: date | None = None) -> ClockStatus:
    """Where a clock stands on `today`.

    `today` is a parameter, not date.today(), so callers pass the board's local date
    and tests need no clock freezing.
    """
    days_left = (due - (met_on or today)).days
    if met_on is not None:
        status = Status.MET if days_left >= 0 else Status.MET_LATE
    elif days_left < 0:
        status = Status.OVERDUE
    elif days_left <= DUE_SOON_DAYS:
        status = Status.DUE_SOON
    else:
        status = Status.ON_TRACK
    return ClockStatus(due=due, days_left=days_left, met_on=met_on, status=status)


def clock_start(clock: Clock, events: dict[str, date | None]) -> date | None:
    """The date `clock` starts given the dates a record has for each event: the earliest of the events the pack
    names in `start_from` that has happened, or None while none has."""
    dates = [events[e] for e in clock.start_from if events.get(e) is not None]
    return min(dates) if dates else None


def resolve_clock(pack_slug: str, *slugs: str) -> Clock:
    """The clock a board's rule pack uses for this purpose: the first of `slugs` (names for the same purpose
    under different regimes, e.g. "scr-completion" and "practice-review-publication") that the board's pack
    has. Where the board's pack has none of them, or the pack is unknown, the framework's own pack answers
    (DEFAULT_PACK), so a step never fails because a regime has no clock for it. Every clock of the service is
    resolved here, never by reading a pack directly."""
    for candidate in dict.fromkeys((pack_slug, DEFAULT_PACK)):
        try:
            pack = get_pack(candidate)
        except UnknownPack:
            continue
        for slug in slugs:
            try:
                return pack.clock(slug)
            except UnknownClock:
                continue
    raise UnknownClock(pack_slug, slugs[0], [])
