"""Action plans for a forum's or an audit's learning, opened through the actions app (a lower layer)."""

from __future__ import annotations

from casereview.actions.models import ActionPlan
from casereview.actions.services import plan_create

from .errors import LearningError


def plan_for(source_type: str, source_id: int) -> ActionPlan | None:
    return ActionPlan.objects.filter(source_type=source_type, source_id=str(source_id)).first()


def plan_open(*, by, board, source_type: str, source_id: int, label: str, items: list[str],
              nothing_yet: str) -> tuple[ActionPlan, bool]:
    """The plan for this forum or audit, opened with one line per item if there is none yet.
    Returns (plan, created). Refuses with ``nothing_yet`` when there are no items to plan."""
    existing = plan_for(source_type, source_id)
    if existing is not None:
        return existing, False
    if not items:
        raise LearningError(nothing_yet)
    plan = plan_create(by=by, board=board, source_type=source_type, source_label=label, source_id=str(source_id),
                       recommendations=[{"number": n, "text": text, "level": "partnership"}
                                        for n, text in enumerate(items, start=1)])
    return plan, True
