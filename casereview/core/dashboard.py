"""The home page: what is waiting for the signed-in person.

Two registries, both filled by each app from its ``AppConfig.ready()`` (core never imports an app above it):

1. **"Waiting for you"** (:func:`register_waiting`) - the hand-offs: every step that waits for this person,
   with its deadline, in one list at the top of their home page, overdue first. Register a builder::

       # casereview/reviews/apps.py
       def ready(self):
           from casereview.core import dashboard
           from .waiting import qa_waiting
           dashboard.register_waiting(qa_waiting, key="reviews.quality_assurance")

       # casereview/reviews/waiting.py
       from casereview.core.dashboard import WaitingItem

       def qa_waiting(user) -> list[WaitingItem]:
           return [WaitingItem(label=f"Quality assurance of {review.reference}",
                               url=reverse("reviews:qa", args=[review.pk]),
                               due=review.qa_due_on)            # a date, or None when no deadline runs
                   for review in reviews_waiting_for_qa_by(user)]   # scoped selector, this user only

   A builder takes the signed-in user and returns a list of :class:`WaitingItem` (or plain dicts with the
   keys ``label``, ``url`` and ``due``); an empty list when nothing waits. Rules for builders:

   - read only through your app's selectors scoped to ``user`` (another board's or another agency's work
     never appears); return quickly (one or two queries);
   - ``label`` is a sentence in the board's words saying what to do and on what ("Decide whether
     CR-2026-004 meets the criteria"); never a child's or family member's name, use the case pseudonym;
   - ``due`` is a ``datetime.date`` (the statutory or agreed deadline) or None;
   - ``key`` is unique ("app.step"); registering the same key twice keeps the first (``ready()`` may run
     twice in tests).

   Keys the other apps are expected to register: decision matrix for the SCR Committee, the Chair's
   decision, quality assurance, board approval, plan approval, action update due, minutes to approve, Case
   Group consultation.

2. **Panels** (:func:`register`) - larger tables an app shows on the home page (open referrals by urgency,
   meetings, learning). ``builder(user)`` returns a dict for ``templates/core/panel.html`` or None.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from casereview.lib.dates import today as board_today


@dataclass(frozen=True)
class WaitingItem:
    """One step waiting for a person: what to do, where to do it, and by when (None: no deadline)."""

    label: str
    url: str
    due: date | None = None

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < board_today()

    @property
    def due_today(self) -> bool:
        return self.due is not None and self.due == board_today()


WaitingBuilder = Callable[[object], list]

_WAITING: dict[str, WaitingBuilder] = {}
_PANELS: list[tuple[int, Callable]] = []


def register_waiting(builder: WaitingBuilder, *, key: str) -> None:
    """Add a "Waiting for you" builder under a unique ``key`` ("app.step"). See the module docstring."""
    _WAITING.setdefault(key, builder)


def _as_item(entry) -> WaitingItem:
    if isinstance(entry, WaitingItem):
        return entry
    return WaitingItem(label=entry["label"], url=entry["url"], due=entry.get("due"))


def waiting_for(user) -> list[WaitingItem]:
    """Every registered step waiting for ``user``: dated steps first, earliest (so overdue) first."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = [_as_item(entry) for builder in _WAITING.values() for entry in (builder(user) or [])]
    return sorted(items, key=lambda item: (item.due is None, item.due or date.max, item.label))


def register(builder: Callable, *, order: int) -> None:
    """`builder(user)` returns a dict for templates/core/panel.html, or None when it has nothing to show."""
    if all(existing is not builder for _, existing in _PANELS):
        _PANELS.append((order, builder))
        _PANELS.sort(key=lambda pair: pair[0])


def panels_for(user) -> list[dict]:
    return [panel for _, builder in _PANELS if (panel := builder(user))]
