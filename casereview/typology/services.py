"""Writes to the typology: the default typology, adding, renaming, retiring, restoring and merging themes.

Keyword-only with ``by`` first, one transaction each with the audit event inside it. A refusal is a
``TypologyError`` whose message says what to do; nothing is written then.
"""

from __future__ import annotations

import string

from django.db import transaction

from casereview.audit.services import audit_record
from casereview.core.concurrency import claim_version
from casereview.core.errors import ServiceError

from .defaults import default_rows
from .models import Theme, ThemeChange


class TypologyError(ServiceError):
    """A refusal the user can act on; the message says what to do."""


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def typology_seed_default(board, *, by=None) -> int:
    """Give the board the default typology. Idempotent: codes the board already has are left alone, so a
    board's renamed or retired themes are never reset. Returns how many themes were added."""
    with transaction.atomic():
        existing = {t.code: t for t in Theme.objects.select_for_update(of=("self",)).filter(board=board)}
        added = 0
        for code, name, parent_code in default_rows():
            if code in existing:
                continue
            existing[code] = Theme.objects.create(board=board, code=code, name=name,
                                                  parent=existing[parent_code] if parent_code else None)
            added += 1
        if added:
            ThemeChange.objects.create(board=board, kind=ThemeChange.Kind.SEEDED, by=_user(by),
                                       description=f"Added {added} themes of the default typology")
            audit_record(by=by, action="typology.defaults_added", board_id=board.pk, label="Default typology",
                         detail={"added": added})
        return added


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise TypologyError("Enter a name for the theme", field="name")
    if len(name) > 200:
        raise TypologyError("The theme's name must be 200 characters or fewer", field="name")
    return name


def _locked(theme: Theme) -> Theme:
    return Theme.objects.select_for_update(of=("self",)).select_related("parent", "merged_into").get(pk=theme.pk)


def theme_add(*, by, board, name: str, parent: Theme | None = None) -> Theme:
    name = _clean_name(name)
    with transaction.atomic():
        themes = list(Theme.objects.select_for_update(of=("self",)).filter(board=board))
        if parent is not None:
            parent = next((t for t in themes if t.pk == parent.pk), None)
            if parent is None or not parent.is_group:
                raise TypologyError("Choose one of the board's theme groups", field="parent")
            if parent.retired:
                raise TypologyError("That group is retired: choose a group in use", field="parent")
            numbers = [int(t.code[len(parent.code):]) for t in themes if t.parent_id == parent.pk
                       and t.code[len(parent.code):].isdigit()]
            code = f"{parent.code}{max(numbers, default=0) + 1}"
        else:
            taken = {t.code for t in themes if t.parent_id is None}
            code = next((letter for letter in string.ascii_uppercase if letter not in taken), None)
            if code is None:
                raise TypologyError("The typology already has 26 groups: add the theme to an existing group",
                                    field="parent")
        siblings = [t for t in themes if t.parent_id == (parent.pk if parent else None) and not t.retired]
        if any(t.name.casefold() == name.casefold() for t in siblings):
            raise TypologyError(f"There is already a theme called \u201c{name}\u201d there", field="name")
        theme = Theme.objects.create(board=board, code=code, name=name, parent=parent)
        ThemeChange.objects.create(board=board, theme=theme, kind=ThemeChange.Kind.ADDED, by=_user(by),
                                   description=f"Added {theme.code} {theme.name}")
        audit_record(by=by, action="theme.added", obj=theme, label=theme.code)
    return theme


def theme_rename(*, by, theme: Theme, name: str, version: int | None = None) -> Theme:
    """Rename a theme; `version` is the theme's version when the form was opened (a stale rename is refused:
    someone else changed the theme in between)."""
    name = _clean_name(name)
    with transaction.atomic():
        theme = _locked(theme)
        if theme.merged_into_id:
            raise TypologyError("A merged theme cannot be renamed: rename the theme it was merged into",
                                field="name")
        claim_version(theme, version, "theme")
        if name == theme.name:
            raise TypologyError("Enter a different name: this is the theme's name already", field="name")
        old = theme.name
        theme.name = name
        theme.save(update_fields=["name"])
        ThemeChange.objects.create(board_id=theme.board_id, theme=theme, kind=ThemeChange.Kind.RENAMED,
                                   by=_user(by), description=f"Renamed {theme.code} from \u201c{old}\u201d "
                                                             f"to \u201c{name}\u201d")
        audit_record(by=by, action="theme.renamed", obj=theme, label=theme.code, detail={"from": old, "to": name})
    return theme


def theme_retire(*, by, theme: Theme) -> Theme:
    with transaction.atomic():
        theme = _locked(theme)
        if theme.retired:
            raise TypologyError(f"{theme.code} is already retired")
        if theme.is_group and theme.children.filter(retired=False).exists():
            raise TypologyError(f"Retire or merge the themes in {theme.code} {theme.name} first: it still has "
                                "themes in use")
        theme.retired = True
        theme.save(update_fields=["retired"])
        ThemeChange.objects.create(board_id=theme.board_id, theme=theme, kind=ThemeChange.Kind.RETIRED,
                                   by=_user(by), description=f"Retired {theme.code} {theme.name}: it stays on "
                                                             "what it tagged but cannot be chosen again")
        audit_record(by=by, action="theme.retired", obj=theme, label=theme.code)
    return theme


def theme_restore(*, by, theme: Theme) -> Theme:
    with transaction.atomic():
        theme = _locked(theme)
        if not theme.retired:
            raise TypologyError(f"{theme.code} is in use already")
        if theme.merged_into_id:
            raise TypologyError("A merged theme cannot be brought back: its tags now belong to "
                                f"{theme.merged_into.code} {theme.merged_into.name}")
        if theme.parent_id and theme.parent.retired:
            raise TypologyError(f"Bring back the group {theme.parent.code} {theme.parent.name} first")
        theme.retired = False
        theme.save(update_fields=["retired"])
        ThemeChange.objects.create(board_id=theme.board_id, theme=theme, kind=ThemeChange.Kind.RESTORED,
                                   by=_user(by), description=f"Brought {theme.code} {theme.name} back into use")
        audit_record(by=by, action="theme.restored", obj=theme, label=theme.code)
    return theme


def _theme_tag_fields():
    """Every many-to-many relation to Theme in the project (findings, decision matrices, summaries, forums,
    audits, the library, and any added later), so a merge moves all tags without knowing where they live."""
    return [rel for rel in Theme._meta.related_objects if rel.many_to_many]


def _counts_as_tag(rel) -> bool:
    # A model whose tags are copied from elsewhere (the learning library's index) sets this to False, so a
    # merge does not count its rows as tags people made.
    return getattr(rel.related_model, "theme_tags_are_made_by_people", True)


def theme_tag_count(theme: Theme) -> int:
    return sum(rel.through.objects.filter(**{rel.field.m2m_reverse_field_name(): theme.pk}).count()
               for rel in _theme_tag_fields())


def theme_merge(*, by, source: Theme, target: Theme | None) -> int:
    """Move every tag from ``source`` to ``target`` and retire ``source``, pointing at ``target``.
    Returns how many tags moved. Nothing is ever left tagged with the merged theme."""
    if target is None:
        raise TypologyError("Choose a theme in use to merge into", field="target")
    if source.pk == target.pk:
        raise TypologyError("Choose a different theme: a theme cannot be merged into itself", field="target")
    moved = 0
    with transaction.atomic():
        source, target = _locked(source), _locked(target)
        if source.board_id != target.board_id:
            raise TypologyError("Choose a theme of this board", field="target")
        if source.is_group or target.is_group:
            raise TypologyError("Only themes can be merged, not groups: merge the themes one by one",
                                field="target")
        if source.merged_into_id:
            raise TypologyError(f"{source.code} has already been merged into {source.merged_into.code}")
        if target.retired:
            raise TypologyError(f"{target.code} {target.name} is retired: choose a theme in use to merge into",
                                field="target")
        for rel in _theme_tag_fields():
            through = rel.through
            owner = rel.field.m2m_field_name()  # e.g. "finding"
            theme_col = rel.field.m2m_reverse_field_name()  # "theme"
            rows = through.objects.filter(**{theme_col: source.pk})
            owner_ids = list(rows.values_list(f"{owner}_id", flat=True))
            already = set(through.objects.filter(**{theme_col: target.pk, f"{owner}_id__in": owner_ids})
                          .values_list(f"{owner}_id", flat=True))
            through.objects.bulk_create([through(**{f"{owner}_id": oid, f"{theme_col}_id": target.pk})
                                         for oid in owner_ids if oid not in already])
            rows.delete()
            if _counts_as_tag(rel):
                moved += len(owner_ids)
        Theme.objects.filter(merged_into=source).update(merged_into=target)
        source.retired = True
        source.merged_into = target
        source.save(update_fields=["retired", "merged_into"])
        if theme_tag_count(source):
            raise TypologyError("The merge could not move every tag, so nothing was changed")
        ThemeChange.objects.create(
            board_id=source.board_id, theme=source, kind=ThemeChange.Kind.MERGED, by=_user(by), retagged=moved,
            description=f"Merged {source.code} {source.name} into {target.code} {target.name} "
                        f"({moved} tag{'s' if moved != 1 else ''} moved)")
        audit_record(by=by, action="theme.merged", obj=source, label=source.code,
                     detail={"into": target.code, "moved": moved})
    return moved
