"""What the apps above reviews add to a review, registered from their `AppConfig.ready()`.

Reviews sit below chronology, actions and learning in the import contract, so reviews never imports them;
each of them registers here instead:

- chronology: `register_evidence(finder, authors)`: `finder(review, refs) -> (entries, missing_refs)` finds
  the chronology entries named by event reference; `authors(review) -> {user_id: entries written}` ranks
  Case Group suggestions;
- learning: `register_finding_saved(callback)`: `callback(by=, finding=)` runs inside the transaction that
  saved a finding (the "why was this learning not sustained?" check, the library index); and
  `register_close_blocker(check)`: `check(review) -> str | None` says what stops a review closing (a learning
  summary is needed first);
- actions: `register_statement_draft(draft)`: `draft(review) -> {"actions_taken", "impact", "what_more"}`
  drafts the publication statement from the review's action plans.

A hook nobody registered does nothing (no evidence found, no blocker, an empty draft).
"""

from collections.abc import Callable

_finding_saved: list[Callable] = []
_close_blockers: list[Callable] = []
_evidence: dict[str, Callable] = {}
_statement_draft: list[Callable] = []


def register_finding_saved(callback: Callable) -> None:
    if callback not in _finding_saved:
        _finding_saved.append(callback)


def finding_saved(*, by, finding) -> None:
    for callback in _finding_saved:
        callback(by=by, finding=finding)


def register_close_blocker(check: Callable) -> None:
    if check not in _close_blockers:
        _close_blockers.append(check)


def close_blockers(review) -> list[str]:
    """Everything another part of the service needs before this review closes, in words."""
    return [message for check in _close_blockers if (message := check(review))]


def register_evidence(*, finder: Callable, authors: Callable) -> None:
    _evidence["finder"], _evidence["authors"] = finder, authors


def evidence_available() -> bool:
    return "finder" in _evidence


def evidence_entries(review, refs: list[str]) -> tuple[list, list[str]]:
    """(the chronology entries named by `refs`, the refs that name none)."""
    if not refs:
        return [], []
    if "finder" not in _evidence:
        return [], list(refs)
    return _evidence["finder"](review, refs)


def entries_written(review) -> dict[int, int]:
    """How many of this review's chronology entries each person wrote (user id to count)."""
    return _evidence["authors"](review) if "authors" in _evidence else {}


def register_statement_draft(draft: Callable) -> None:
    _statement_draft[:] = [draft]


def statement_draft(review) -> dict[str, str]:
    empty = {"actions_taken": "", "impact": "", "what_more": ""}
    return {**empty, **_statement_draft[0](review)} if _statement_draft else empty
