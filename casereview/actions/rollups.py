"""Status rolled up from actions to recommendation, plan, agency and board (domain brief: action plan row)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from .models import RAG_ORDER, RAG_SHORT, Action, Rag

NOT_REPORTED = "none"


@dataclass
class Summary:
    label: str = ""
    total: int = 0
    open: int = 0
    overdue: int = 0
    complete: int = 0
    evaluated: int = 0
    closed: int = 0
    percent_sum: int = 0
    by_rag: dict[str, int] = field(default_factory=lambda: {**{r.value: 0 for r in RAG_ORDER}, NOT_REPORTED: 0})
    url: str = ""

    def add(self, action: Action, today: date) -> None:
        self.total += 1
        self.percent_sum += action.percent_complete
        self.by_rag[action.rag or NOT_REPORTED] += 1
        if action.state == "evaluated":
            self.evaluated += 1
        elif action.state == "complete":
            self.complete += 1
        elif action.state == "closed":
            self.closed += 1
        else:
            self.open += 1
        if action.is_overdue_on(today):
            self.overdue += 1

    @property
    def percent_complete(self) -> int:
        """The mean of the actions' % complete (the domain brief: % complete rolled up per recommendation)."""
        return round(self.percent_sum / self.total) if self.total else 0

    @property
    def worst_rag(self) -> str:
        """Red if anything is red, and so on: the status the committee is asked to look at."""
        for rag in RAG_ORDER:
            if self.by_rag[rag]:
                return rag
        return ""

    @property
    def worst_rag_label(self) -> str:
        return RAG_SHORT.get(self.worst_rag, "Not yet reported")

    @property
    def worst_rag_class(self) -> str:
        from .models import RAG_TAG_CLASSES

        return RAG_TAG_CLASSES.get(self.worst_rag, "govuk-tag govuk-tag--grey")

    def rag_counts(self) -> list[tuple[str, int]]:
        return [(RAG_SHORT[Rag(r)], self.by_rag[r]) for r in RAG_ORDER] + [("Not yet reported",
                                                                          self.by_rag[NOT_REPORTED])]


def summarise(actions: Iterable[Action], today: date, label: str = "") -> Summary:
    summary = Summary(label=label)
    for action in actions:
        summary.add(action, today)
    return summary


def summarise_by(actions: Iterable[Action], today: date, key, label) -> list[Summary]:
    """One summary per group, in first-seen order; key(action) groups and label(action) names the group."""
    groups: dict = {}
    for action in actions:
        k = key(action)
        if k not in groups:
            groups[k] = Summary(label=label(action))
        groups[k].add(action, today)
    return list(groups.values())
