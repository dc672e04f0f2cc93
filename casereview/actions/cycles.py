"""Quarterly update cycles as dates: no database, so the rule is easy to test (seed s.5 and 7)."""

from datetime import date

from casereview.lib.clocks import Clock, Unit, add_calendar_months, due_date


def cycle_due_date(clock: Clock, handover: date, number: int) -> date:
    """The due date of the number-th update after handover.

    Counted from the handover each time, not from the previous due date, so a plan handed over on
    31 January is due on 30 April, 31 July, 31 October rather than drifting to the 30th for ever.
    """
    if clock.unit is Unit.CALENDAR_MONTHS:
        return add_calendar_months(handover, clock.amount * number)
    due = handover
    for _ in range(number):
        due = due_date(clock, due)
    return due


def cycles_through(clock: Clock, handover: date, today: date) -> list[tuple[int, date, date]]:
    """(number, period start, due date) for every quarter that has started by today, including the current one."""
    cycles = []
    number, start = 1, handover
    while True:
        due = cycle_due_date(clock, handover, number)
        cycles.append((number, start, due))
        if due >= today:
            return cycles
        number, start = number + 1, due
