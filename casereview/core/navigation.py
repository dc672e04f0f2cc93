"""Service navigation by role. Each app registers its own entries in its AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    allowed: Callable[[object], bool]
    order: int
    section: str  # the first path segment that marks the item active
    also: tuple[str, ...] = ()  # further sections grouped under this item (e.g. "Board" holds the audit trail)


_ITEMS: list[NavItem] = []


def register(label: str, url_name: str, allowed: Callable[[object], bool], *, order: int, section: str,
             also: tuple[str, ...] = ()) -> None:
    """One top-level entry. Keep the bar to one line: group pages a role seldom needs under an existing entry's
    hub page (list them there and name their sections in ``also``) instead of adding an entry."""
    if any(item.url_name == url_name for item in _ITEMS):
        return
    _ITEMS.append(NavItem(label, url_name, allowed, order, section, also))
    _ITEMS.sort(key=lambda item: item.order)


def items_for(request) -> list[dict]:
    user = request.user
    if not user.is_authenticated:
        return []
    first = request.path.strip("/").split("/")[0]
    return [
        {"label": item.label, "url": reverse(item.url_name), "active": first in (item.section, *item.also)}
        for item in _ITEMS
        if item.allowed(user)
    ]
