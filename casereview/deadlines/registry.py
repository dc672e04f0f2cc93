"""Every running and overdue clock of a board, collected from the apps that own the records.

The deadlines app sits below the apps whose records run clocks (referrals, reviews, actions...), so it cannot
ask them; each registers a source from its AppConfig.ready():

    from casereview.deadlines.registry import register_source
    register_source("referrals", referral_deadlines)

A source is `source(board, *, today, closures) -> Iterable[Deadline]`: the board's running clocks (met ones
are left out by the page), each saying which record it belongs to and the agencies involved, so the page can
filter by agency without knowing the record.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from .services import ClockView


@dataclass(frozen=True)
class Deadline:
    view: ClockView
    # What the clock belongs to, as the board names it: "Referral REF-2026-001 (Child E)".
    record: str
    url: str
    # Names of the agencies involved with the record.
    agencies: tuple[str, ...] = field(default=())

    @property
    def overdue(self) -> bool:
        return self.view.running and self.view.status.days_left < 0


Source = Callable[..., Iterable[Deadline]]
_SOURCES: dict[str, Source] = {}


def register_source(name: str, source: Source) -> None:
    """Register (or replace) the source called `name`: registering twice from ready() is harmless."""
    _SOURCES[name] = source


def running_deadlines(board, *, today: date, closures: frozenset[date]) -> list[Deadline]:
    """Every running clock of the board, overdue first, then by days left."""
    rows = [d for source in _SOURCES.values() for d in source(board, today=today, closures=closures)
            if d.view.running]
    rows.sort(key=lambda d: (d.view.status.days_left, d.view.due, d.record))
    return rows
