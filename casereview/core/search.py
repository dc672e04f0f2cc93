"""The header search box: each app registers a provider that finds its own records for a signed-in person.

    # casereview/reviews/apps.py, in ready():
    from casereview.core import search
    search.register("reviews", review_search)      # review_search(user, query) -> list[search.Hit]

A provider reads only through its app's selector scoped to ``user`` (so another board's records, or a case
the person may not see, are never found), matches ``query`` case-insensitively and returns at most
``search.LIMIT`` hits. The box is offered to people with a board-wide case role.
"""

from collections.abc import Callable
from dataclasses import dataclass

from casereview.core.permissions import has_board_wide_case_role

LIMIT = 20


@dataclass(frozen=True)
class Hit:
    kind: str  # what it is, in the board's words: "Case", "Review", "Agency"
    label: str  # e.g. "CR-2026-004 (Child E)"; never a child's or family member's name
    url: str
    detail: str = ""


Provider = Callable[[object, str], list[Hit]]
_PROVIDERS: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    _PROVIDERS.setdefault(key, provider)


def can_search(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and has_board_wide_case_role(user))


def search(user, query: str) -> list[Hit]:
    query = " ".join((query or "").split())[:100]
    if not query or not can_search(user):
        return []
    return [hit for provider in _PROVIDERS.values() for hit in provider(user, query)[:LIMIT]]
