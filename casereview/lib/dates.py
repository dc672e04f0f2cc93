"""Today, as every clock, list and document of the service means it: the date in England (Europe/London).

The one definition of "today": a server running in UTC would otherwise start the day an hour early in summer.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

BOARD_TIME_ZONE = ZoneInfo("Europe/London")


def today() -> date:
    return datetime.now(BOARD_TIME_ZONE).date()


def now() -> datetime:
    return datetime.now(BOARD_TIME_ZONE)
