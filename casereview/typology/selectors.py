"""Reads of the typology, scoped to the requesting person's board (another board's themes are a 404)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from casereview.core.permissions import is_board_member

from .models import Theme, ThemeChange


def _board_id(user) -> int | None:
    return user.board_id if is_board_member(user) else None


def themes_for(user) -> QuerySet[Theme]:
    return Theme.objects.filter(board_id=_board_id(user)).select_related("parent", "merged_into")


def theme_get_for_user(user, theme_id: int) -> Theme:
    theme = themes_for(user).filter(pk=theme_id).first()
    if theme is None:
        raise Http404("No such theme")
    return theme


def themes_in_use_for(user) -> QuerySet[Theme]:
    """Themes that may be chosen for new tags: in use and not groups."""
    return themes_for(user).filter(retired=False, parent__isnull=False, parent__retired=False)


def themes_to_choose(user, *, keep=()) -> QuerySet[Theme]:
    """Themes a form offers: those in use, plus the ones a record is already tagged with (``keep``, ids or
    themes), each once and in natural order, so editing never drops a retired tag silently."""
    ids = [getattr(t, "pk", t) for t in keep]
    in_use = themes_in_use_for(user).values("pk")
    return themes_for(user).filter(Q(pk__in=in_use) | Q(pk__in=ids))


def groups_in_use_for(user) -> QuerySet[Theme]:
    return themes_for(user).filter(parent__isnull=True, retired=False)


def theme_changes_for(user, *, limit: int = 20) -> list[ThemeChange]:
    return list(ThemeChange.objects.filter(board_id=_board_id(user)).select_related("by", "theme")[:limit])


def live_themes(themes) -> list[Theme]:
    """Themes as they stand now: a merged theme counts as the theme it was merged into (each once)."""
    result: dict[int, Theme] = {}
    for theme in themes:
        seen = set()
        while theme.merged_into_id and theme.pk not in seen:
            seen.add(theme.pk)
            theme = theme.merged_into
        result[theme.pk] = theme
    return list(result.values())
