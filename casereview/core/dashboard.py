"""The home page: each app contributes panels of what is waiting for the signed-in person."""

from collections.abc import Callable

_PANELS: list[tuple[int, Callable]] = []


def register(builder: Callable, *, order: int) -> None:
    """`builder(user)` returns a dict for templates/core/panel.html, or None when it has nothing to show."""
    if all(existing is not builder for _, existing in _PANELS):
        _PANELS.append((order, builder))
        _PANELS.sort(key=lambda pair: pair[0])


def panels_for(user) -> list[dict]:
    return [panel for _, builder in _PANELS if (panel := builder(user))]
