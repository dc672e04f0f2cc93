"""How entries read on screen and in exports: named or anonymised text, the child's age, agency colours."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date

from casereview.lib.chrono_dates import FuzzyDate

_TITLES = r"(?:(?:mr|mrs|ms|miss|mx|dr|master)\.?\s+)?"
_POSSESSIVE = r"(?P<possessive>['\u2019]s\b|s['\u2019](?!\w)|['\u2019](?!\w)|s(?!\w))?"


class Anonymiser:
    """Replaces the names of the case's people with their glossary labels ("Child J", "Mother").

    Full names, aliases and first names are replaced wherever they appear, in any letter case, with or
    without a title (Ms, Mr) and keeping possessives ("Kerry's" becomes "Mother's"). A surname shared by
    several people cannot be given one label, so on its own it becomes "[family name]".
    """

    SHARED = "[family name]"

    def __init__(self, people: Iterable) -> None:
        people = list(people)
        names: dict[str, str] = {}
        surnames: Counter[str] = Counter()
        surname_owner: dict[str, str] = {}
        for person in people:
            full = [person.full_name, *person.alias_list()]
            for name in full:
                words = name.split()
                if not words:
                    continue
                names.setdefault(" ".join(words).casefold(), person.anonymised_label)
                if len(words[0]) >= 3:
                    names.setdefault(words[0].casefold(), person.anonymised_label)
                if len(words) > 1 and len(words[-1]) >= 3:
                    key = words[-1].casefold()
                    if surname_owner.get(key) != person.anonymised_label:
                        surnames[key] += 1
                        surname_owner[key] = person.anonymised_label
        for surname, count in surnames.items():
            names.setdefault(surname, self.SHARED if count > 1 else surname_owner[surname])
        self.labels = names
        if names:
            alternatives = "|".join(
                r"\s+".join(re.escape(word) for word in name.split())
                for name in sorted(names, key=len, reverse=True)
            )
            self.pattern = re.compile(rf"(?<!\w){_TITLES}(?P<name>{alternatives}){_POSSESSIVE}(?!\w)",
                                      re.IGNORECASE)
        else:
            self.pattern = None

    def __call__(self, text: str) -> str:
        if not text or self.pattern is None:
            return text
        return self.pattern.sub(self._replace, text)

    def _replace(self, match: re.Match) -> str:
        label = self.labels.get(" ".join(match.group("name").split()).casefold(), self.SHARED)
        return label + ("'s" if match.group("possessive") else "")


def child_age(dob: date | None, when: FuzzyDate) -> str:
    """The child's age at an event, e.g. "2 years 3 months"; "about" when the date is not to the day."""
    if dob is None:
        return ""
    day = when.first_day()
    if when.precision == "day" and day < dob:
        return "Before birth"
    if when.precision == "month" and (when.year, when.month) < (dob.year, dob.month):
        return "Before birth"
    if when.precision == "year" and when.year < dob.year:
        return "Before birth"
    if day < dob:
        return "Around birth"
    months = (day.year - dob.year) * 12 + day.month - dob.month - (1 if day.day < dob.day else 0)
    if months < 1:
        days = (day - dob).days
        text = f"{days} day{'s' if days != 1 else ''}"
    elif months < 24:
        text = f"{months} month{'s' if months != 1 else ''}"
    else:
        years, rest = divmod(months, 12)
        text = f"{years} years" + (f" {rest} month{'s' if rest != 1 else ''}" if rest else "")
    return text if when.precision == "day" else f"about {text}"


# Each colour has at least 4.5:1 contrast with white text (WCAG 1.4.3) and 3:1 with the white page
# (1.4.11); labels always carry the agency's code too, so colour is never the only cue (1.4.1).
AGENCY_COLOURS: tuple[str, ...] = (
    "#1d70b8",  # blue
    "#00703c",  # green
    "#b1290f",  # red
    "#4c2c92",  # purple
    "#912b88",  # magenta
    "#505a5f",  # grey
    "#005a5a",  # teal
    "#6b3a00",  # brown
    "#003078",  # navy
    "#0b0c0c",  # black
    "#5a4a00",  # olive
    "#7a1f3d",  # wine
)


def agency_palette(codes: Iterable[str]) -> dict[str, int]:
    """Agency code -> colour index, stable for a review (alphabetical order of its agencies' codes)."""
    return {code: index % len(AGENCY_COLOURS) for index, code in enumerate(sorted(set(codes)))}


def contrast_ratio(foreground: str, background: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
