"""Themes in the order people count them: A1, A2, ... A10, never A1, A10, A11.

A group's code is a letter and a theme's code is its group's letter followed by a number
(``services.theme_add`` makes no other kind), so the natural order is: letter, then the length of the code,
then the code. ``NATURAL_ORDER`` says that to the database (every queryset of themes uses it through
``Theme.Meta.ordering``); ``natural_key`` says it to Python, for anything sorted after it leaves the database
(labels such as "A10 Hidden or unseen men", or the theme dicts of another board's regional file).
"""

from __future__ import annotations

import re

from django.db.models.functions import Length, Substr

NATURAL_ORDER = [Substr("code", 1, 1), Length("code"), "code", "pk"]

_PARTS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple:
    """A sort key reading runs of digits as numbers: "A2 Multi-agency working" sorts before "A10 Hidden men"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part.casefold())
                 for part in _PARTS.split(text or "") if part)
