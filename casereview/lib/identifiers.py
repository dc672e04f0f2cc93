"""Find text that could identify a child or family before a review report is published.

Hits come from two sources:

* identifiers recorded for the case's people (names, aliases, dates of birth, addresses,
  postcodes and schools), matched tolerantly because report writers change case, add
  possessives, abbreviate and misspell;
* patterns that identify anyone, found without a known list: UK postcodes, NHS numbers,
  National Insurance numbers, UK phone numbers, email addresses and dates of birth.

A hit only prompts a person to decide. Publication stays blocked until each hit is fixed in a
new version or accepted with a reason, so an accepted hit is remembered by a fingerprint that
survives edits elsewhere in the text.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .chrono_dates import FoundDate, find_dates

KnownKind = Literal["name", "alias", "date_of_birth", "address", "postcode", "school"]
KNOWN_KINDS: frozenset[str] = frozenset(get_args(KnownKind))

_CONTEXT_CHARS = 60

# Words so common in English or in review reports that fuzzy matching them against a name
# would flood the check ("began" is one letter from "Megan", "carry" from "Harry"). They only
# count as a name when they match exactly and start with a capital letter. Names that are
# also ordinary words (Will, Hope, Grace, Mason) are here for the same reason; the price is
# that their misspellings are not flagged.
_COMMON_WORDS: frozenset[str] = frozenset(
    """
    a about above after again against all almost also although always am among an and
    another any anyone anything are area around as ask asked at away back be became because
    become been before began begin being below best better between both bring brought but
    by call called came can cannot care carry case cause change child children clear close
    come could day days did different do does doing done down during each early either end
    enough even ever every fact family far felt few find first follow for found from full
    further gave get give given go going good got great group had half hand happen has have
    having he head help her here high him his home hope how however hurry if important in
    into is issue it its just keep kind knew know known large last later lead least leave
    left less let life like likely little live lived long look made make many mark marry
    matter may me mean means might more most move much must my name near need never new next
    no not nothing now number of off often old on once one only open or order other our out
    over own part people place plan play point possible put rather read real reason right
    room said same saw say see seem seen set shall she should show side since small so some
    something soon sorry state still such sure take taken tell than that the their them then
    there these they thing things think this those though thought through time to told too
    took toward turn two under until up upon us use used very want was way we well went were
    what when where whether which while who whole why will with within without word work
    would year years yet you young your

    abuse agency agencies assessment aunt authority baby board brother carer carers clinic
    concern concerns conference consultant council court criminal designated doctor
    education emergency father findings foster grandfather grandmother guardian health
    hospital house housing incident injury learning lessons local manager meeting midwife
    mother named neglect nurse nursery officer parent parents partner police practice
    practitioner primary probation professional protection referral report review
    safeguarding school services sister social staff strategy support team teacher uncle
    visit visitor worker youth

    january february march april june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday

    de da di du del der den van von le la al el bin ibn

    will hope grace rose joy faith summer bill jack page hunter mason baker cook turner
    walker carter cooper hill wood king green brown white black gray grey bell rich
    """.split()
)

_SCHOOL_TYPES = frozenset(
    "primary school infant infants junior juniors nursery academy college high secondary grammar prep".split()
)
_SCHOOL_DENOMINATIONS = frozenset({"ce", "rc", "cofe", "catholic", "methodist", "va", "vc"})

_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr"})

# Generic words in school names. A match must reach one past the last distinctive word
# ("Brambleford Primary"), because a lone place name would flag every mention of the area.
_SCHOOL_WORDS = frozenset(
    """
    the of and st saint school schools primary infant infants junior juniors nursery academy
    college high secondary church england ce c e rc catholic community federation free
    trust grammar comprehensive special pupil referral unit centre center first middle upper
    lower prep preparatory
    """.split()
)

# Street types and "Saint" with the ways writers shorten them, so "Larkspur Cres", "Larch Gr."
# and "Larch Gv" all match.
_ABBREVIATIONS: dict[str, frozenset[str]] = {
    full: frozenset(short.split())
    for full, short in {
        "road": "rd",
        "street": "st str",
        "avenue": "ave av avn",
        "crescent": "cres cresc cr",
        "close": "cl",
        "drive": "dr drv",
        "lane": "ln",
        "gardens": "gdns gdn gardns",
        "court": "ct crt",
        "place": "pl",
        "terrace": "terr ter tce",
        "square": "sq",
        "grove": "gr gv grv",
        "green": "grn",
        "park": "pk",
        "parade": "pde",
        "view": "vw",
        "walk": "wlk",
        "way": "wy",
        "mount": "mt",
        "yard": "yd",
        "mews": "mws",
        "saint": "st",
    }.items()
}
_EXPANSIONS: dict[str, frozenset[str]] = {}
for _full, _shorts in _ABBREVIATIONS.items():
    for _short in _shorts:
        _EXPANSIONS[_short] = _EXPANSIONS.get(_short, frozenset()) | {_full}

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
# What may sit between the words of a name or street: spaces, line breaks (PDF text wraps),
# hyphens of any kind and the full stop of an abbreviation.
_PHRASE_GAP = re.compile(r"[\s.\-\u2010-\u2015]+")
_HYPHENS = re.compile(r"[\-\u2010-\u2015]")
_SUBPREMISES = re.compile(r"^(?:flat|apartment|apt|unit|room|floor)\b\.?\s*[\w/]*[,\s]*", re.IGNORECASE)
_HOUSE_NUMBER = re.compile(r"^(\d+[a-z]?(?:\s*[-\u2013]\s*\d+[a-z]?)?)\s+(.+)$", re.IGNORECASE)

# The leading greedy ".*" makes the search settle on the trigger nearest the date.
_BIRTH_WORDS = re.compile(
    r"(?s:.*)(?P<trigger>\bborn\b|\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth\b|\bbirth\s?date\b)(?P<gap>[^.!?]*)$",
    re.IGNORECASE,
)
_BIRTH_WORD_REACH = 80  # characters looked back for a trigger word
_BIRTH_WORD_GAP = 4  # words allowed between the trigger and the date

# Between the groups of a number or the halves of a postcode: up to two spaces or a line break
# (text taken from a PDF wraps inside identifiers, "07700 \n900417").
_BREAK = r"(?:[ \t]{1,2}|[ \t]?\n[ \t]?)"
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(?:GIR(?:" + _BREAK + r")?0AA|(?:[A-PR-UWYZ](?:[0-9]{1,2}|[A-HK-Y][0-9]{1,2}|[0-9][A-HJKPSTUW]"
    r"|[A-HK-Y][0-9][ABEHMNPRVWXY]))(?:" + _BREAK + r")?(?P<inward>[0-9][ABD-HJLNP-UW-Z]{2}))(?![A-Za-z0-9])",
    re.IGNORECASE,
)
# Ten digits in groups of three or more, however they are separated (485 777 3457, 485.777.3457,
# 485 7773 457); the check digit then decides.
_NHS_NUMBER = re.compile(r"(?<![\d.,\-/])\d{3,10}(?:(?:" + _BREAK + r"|[ \t]?[.\-][ \t]?)\d{3,7}){0,3}(?![\d]|[.,]\d)")
# First letter never D F I Q U V; second never D F I O Q U V (HMRC's rules). So HMRC's own
# specimen, QQ 12 34 56 C, is deliberately not a hit: it can never belong to anyone. The final
# letter is often left off; the pairs may be split by spaces, hyphens, dots or a line break.
_NI_SEP = r"(?:" + _BREAK + r"|[ \t]?[.\-][ \t]?)?"
_NI_NUMBER = re.compile(
    r"(?<![A-Za-z0-9])(?P<prefix>[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])"
    + _NI_SEP + r"\d{2}" + _NI_SEP + r"\d{2}" + _NI_SEP + r"\d{2}"
    + r"(?:" + _NI_SEP + r"(?P<suffix>[A-D]))?(?![A-Za-z0-9])"
    # A lone letter after the digits that is not A to D means this is not an NI number at all.
    + r"(?!" + _NI_SEP + r"[A-Za-z](?![A-Za-z0-9]))",
    re.IGNORECASE,
)
_NI_UNUSED_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
# After +44, 0044 or 0 a UK number has 9 or 10 digits and never starts with 0, 4 or 6. Groups
# may be split by spaces, dots, hyphens, brackets or a line break: +44 (20) 7946 0018.
_PHONE = re.compile(
    r"(?<![\w+.])(?:(?:\+|00)[ \t]?44[ \t.\-]?(?:\(0\)[ \t]?)?\(?|\(?0)[1-35789]"
    r"(?:(?:[ \t.\-]{1,2}(?:\n[ \t]?)?|[ \t]?\n[ \t]?|\)[ \t]?(?:\n[ \t]?)?|[ \t]?\()?\d){8,9}(?![\d]|[.,]\d)"
)
# Internationalised domains and mailboxes are written in any script (kayden@müller.example).
_EMAIL = re.compile(
    r"(?<![\w.%+\-])[\w.%+\-]+@[^\W_](?:[\w\-]*[^\W_])?"
    r"(?:\.[^\W_](?:[\w\-]*[^\W_])?)*\.(?:[^\W\d_]{2,}|xn--[a-z0-9\-]+)(?![\w\-])"
)


@dataclass(frozen=True, slots=True)
class KnownIdentifier:
    """Something recorded for one of the case's people that must not appear when published."""

    kind: KnownKind
    value: str
    person_label: str  # how the report refers to the person, e.g. "Child M"

    def __post_init__(self) -> None:
        if self.kind not in KNOWN_KINDS:
            raise ValueError(f"Unknown kind of identifier: {self.kind!r}")
        if not self.value.strip():
            raise ValueError("A known identifier needs a value")
        if self.kind == "date_of_birth":
            _parse_date_of_birth(self.value)


@dataclass(frozen=True, slots=True)
class Hit:
    """One place in the text that may identify someone."""

    kind: str
    matched_text: str
    start: int
    end: int
    context_before: str  # kept apart from the match so a page can highlight it safely
    context_after: str
    reason: str
    person_label: str | None = None

    @property
    def context(self) -> str:
        return f"{self.context_before}[[{_squash(self.matched_text)}]]{self.context_after}"

    @property
    def fingerprint(self) -> str:
        # Position is left out on purpose: an accepted hit must stay accepted when a new
        # version moves it. Case, spacing, punctuation and a possessive are left out so that
        # "Kayden's" and "KAYDEN" are one decision. A hash keeps the identifying text itself
        # out of wherever acceptances are stored.
        folded = re.sub(r"'s\b", "", _fold(self.matched_text))
        core = "".join(ch for ch in folded if ch.isalnum())
        return hashlib.sha256(f"{self.kind}:{core}".encode()).hexdigest()


def person_identifiers(
    label: str,
    *,
    full_name: str = "",
    aliases: Iterable[str] = (),
    date_of_birth: date | str | None = None,
    address: str = "",
    postcode: str = "",
    school: str = "",
) -> list[KnownIdentifier]:
    """What is recorded for one person, as the check looks for it; blank values are skipped."""
    if isinstance(date_of_birth, date):
        date_of_birth = date_of_birth.isoformat()
    values: list[tuple[KnownKind, str | None]] = [("name", full_name)]
    values += [("alias", alias) for alias in aliases]
    values += [("date_of_birth", date_of_birth), ("address", address), ("postcode", postcode), ("school", school)]
    return [KnownIdentifier(kind, value.strip(), label) for kind, value in values if value and value.strip()]


def scan(text: str, known: Sequence[KnownIdentifier] = ()) -> list[Hit]:
    """Every possible identifier in ``text``, in order of position, none overlapping another."""
    dates = find_dates(text)
    candidates = [
        *_phrase_candidates(text, known),
        *_known_date_candidates(dates, known),
        *_known_postcode_candidates(text, known),
        *_pattern_candidates(text, dates),
    ]
    return [_to_hit(text, candidate) for candidate in _without_overlaps(candidates)]


def apply_acceptances(
    hits: Iterable[Hit], accepted_fingerprints: Iterable[str]
) -> tuple[list[Hit], list[Hit]]:
    """Split hits into those still blocking publication and those already accepted."""
    accepted = set(accepted_fingerprints)
    open_hits: list[Hit] = []
    accepted_hits: list[Hit] = []
    for hit in hits:
        (accepted_hits if hit.fingerprint in accepted else open_hits).append(hit)
    return open_hits, accepted_hits


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    kind: str
    reason: str
    person_label: str | None
    rank: int  # lower wins when two candidates cover the same span


_KNOWN_RANK = 0  # a recorded identifier explains a hit better than a pattern does
# The kinds of hit found by pattern alone. "postcode" is also a known kind, so a recorded
# postcode and the same postcode found by pattern share one fingerprint.
_PATTERN_RANK = {
    "postcode": 1,
    "nhs_number": 2,
    "ni_number": 3,
    "phone": 4,
    "email": 5,
    "possible_date_of_birth": 6,
}


def _without_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    # Longest first, so "Kayden Marsh-Whitley" is one hit rather than three.
    ordered = sorted(candidates, key=lambda c: (c.start - c.end, c.rank, c.start))
    # Kept spans never overlap, so only the neighbours on either side need checking.
    kept: list[_Candidate] = []
    for candidate in ordered:
        index = bisect.bisect_left(kept, candidate.start, key=lambda k: k.start)
        clear_before = index == 0 or kept[index - 1].end <= candidate.start
        clear_after = index == len(kept) or candidate.end <= kept[index].start
        if clear_before and clear_after:
            kept.insert(index, candidate)
    return kept


def _to_hit(text: str, candidate: _Candidate) -> Hit:
    before, after = _context(text, candidate.start, candidate.end)
    return Hit(
        kind=candidate.kind,
        matched_text=text[candidate.start : candidate.end],
        start=candidate.start,
        end=candidate.end,
        context_before=before,
        context_after=after,
        reason=candidate.reason,
        person_label=candidate.person_label,
    )


def _context(text: str, start: int, end: int) -> tuple[str, str]:
    low = max(0, start - _CONTEXT_CHARS)
    high = min(len(text), end + _CONTEXT_CHARS)
    before, after = text[low:start], text[end:high]
    # Cut at whitespace so a snippet never starts or ends with half a word.
    if low > 0 and not text[low - 1].isspace():
        first_space = re.search(r"\s", before)
        before = before[first_space.end() :] if first_space else ""
    if high < len(text) and not text[high].isspace():
        last_space = re.search(r"\s\S*$", after)
        after = after[: last_space.start()] if last_space else ""
    before = ("\u2026" if low > 0 else "") + _squash(before)
    after = _squash(after) + ("\u2026" if high < len(text) else "")
    return before, after


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def _spelling(word: str) -> str:
    return _fold(word).replace("'", "")


def _forms(word: str) -> frozenset[str]:
    """The ways a word in the text may stand for a name: as written, without a possessive
    (Kayden's, Kaydens') and without a plural or apostrophe-less possessive s (kaydens)."""
    folded = _fold(word)
    plain = folded.replace("'", "")
    forms = {plain, folded.removesuffix("'s").replace("'", "")}
    if len(plain) > 3 and plain.endswith("s"):
        forms.add(plain[:-1])
    return frozenset(forms)


def _allowed_distance(length: int) -> int:
    # A recorded name of five letters or more may be written one letter out, even as a
    # four-letter word ("Elie" for "Ellie"), but only capitalised (see _WordMatcher.distance);
    # a four-letter name has too many four-letter neighbours ("Mais", "Main").
    if length < 5:
        return 0
    if length < 8:
        return 1
    return 2


@dataclass(frozen=True, slots=True)
class _Phrase:
    kind: str
    words: tuple[frozenset[str], ...]  # accepted spellings of each word, folded
    required: int  # how many leading words must be present
    capitals_for_common: bool  # a common word counts only when capitalised
    what: str  # e.g. "the first name 'Kayden'"
    person_label: str
    house_number: str | None = None
    # A slip counts only in a capitalised word: people's names are written with a capital, and a
    # lowercase "share" or "store" is a word, not "Shane" or "Stone" misspelt.
    capitals_for_slips: bool = False


class _WordMatcher:
    """Distances between the text's words and the recorded words, computed once per distinct
    word so that long reports stay quick."""

    def __init__(self, words: Iterable[str], spellings: Iterable[str]) -> None:
        self._forms = {word: _forms(word) for word in set(words)}
        pool = sorted({form for forms in self._forms.values() for form in forms})
        self._near: dict[str, dict[str, int]] = {}
        for spelling in set(spellings):
            # Optimal string alignment: Levenshtein, but a swap of two adjacent letters
            # ("Kaydne") is one slip rather than two.
            matches = process.extract(
                spelling, pool, scorer=OSA.distance, score_cutoff=_allowed_distance(len(spelling)), limit=None
            )
            for form, distance, _index in matches:
                self._near.setdefault(form, {})[spelling] = distance

    def may_match(self, word: str) -> bool:
        return any(form in self._near for form in self._forms[word])

    def distance(
        self, word: str, spellings: frozenset[str], capitals_for_common: bool, capitals_for_slips: bool = False
    ) -> int | None:
        forms = self._forms[word]
        common = not forms.isdisjoint(_COMMON_WORDS) or not spellings.isdisjoint(_COMMON_WORDS)
        best: int | None = None
        for form in forms:
            near = self._near.get(form, {})
            for spelling in spellings:
                distance = near.get(spelling)
                if distance is None or (distance and (common or len(form) < 4)):
                    continue
                if distance and min(len(form), len(spelling)) < 5 and not word[:1].isupper():
                    continue
                best = distance if best is None else min(best, distance)
        if best is not None and common and capitals_for_common and not word[:1].isupper():
            return None
        if best and capitals_for_slips and not word[:1].isupper():
            return None
        return best


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    word: str  # for two words written as one ("Lacie-Mae"), both joined: "LacieMae"

    def group(self) -> str:
        return self.word


# Two words that may be one name or street written apart: joined by a hyphen (perhaps broken
# at the end of a line), or two capitalised words side by side.
_COMPOUND_HYPHEN = re.compile(r"[\-\u2010-\u2015][ \t]*\n?[ \t]*")
_COMPOUND_SPACE = re.compile(r"[ \t]{1,2}|[ \t]?\n[ \t]?")


def _compounds(text: str, tokens: list[_Token]) -> list[_Token]:
    joined = []
    for first, second in zip(tokens, tokens[1:], strict=False):
        if _COMPOUND_HYPHEN.fullmatch(text, first.end, second.start) or (
            first.word[:1].isupper()
            and second.word[:1].isupper()
            and _COMPOUND_SPACE.fullmatch(text, first.end, second.start)
        ):
            joined.append(_Token(first.start, second.end, first.word + second.word))
    return joined


def _phrase_candidates(text: str, known: Sequence[KnownIdentifier]) -> Iterator[_Candidate]:
    phrases = [phrase for identifier in known for phrase in _phrases_for(identifier)]
    if not phrases:
        return
    tokens = [_Token(match.start(), match.end(), match.group()) for match in _WORD.finditer(text)]
    compounds = _compounds(text, tokens)
    matcher = _WordMatcher(
        (token.group() for token in (*tokens, *compounds)),
        (spelling for phrase in phrases for word in phrase.words for spelling in word),
    )
    single_words = [phrase for phrase in phrases if len(phrase.words) == 1]
    for token in compounds:
        if not matcher.may_match(token.word):
            continue
        for phrase in single_words:
            distance = matcher.distance(
                token.word, phrase.words[0], phrase.capitals_for_common, phrase.capitals_for_slips
            )
            if distance is not None:
                yield _Candidate(
                    start=_include_house_number(text, token.start, phrase.house_number),
                    end=token.end,
                    kind=phrase.kind,
                    reason=f"{'Matches' if distance == 0 else 'Close to'} {phrase.what} ({phrase.person_label})",
                    person_label=phrase.person_label,
                    rank=_KNOWN_RANK,
                )
    starts: dict[str, list[tuple[_Phrase, int]]] = {}
    for index, token in enumerate(tokens):
        word = token.group()
        if word not in starts:
            starts[word] = []
            if matcher.may_match(word):
                for phrase in phrases:
                    distance = matcher.distance(
                        word, phrase.words[0], phrase.capitals_for_common, phrase.capitals_for_slips
                    )
                    if distance is not None:
                        starts[word].append((phrase, distance))
        for phrase, first_distance in starts[word]:
            total, count = first_distance, 1
            while count < len(phrase.words) and index + count < len(tokens):
                previous, current = tokens[index + count - 1], tokens[index + count]
                if not _PHRASE_GAP.fullmatch(text, previous.end, current.start):
                    break
                distance = matcher.distance(
                    current.group(), phrase.words[count], phrase.capitals_for_common, phrase.capitals_for_slips
                )
                if distance is None:
                    break
                total += distance
                count += 1
            if count < phrase.required:
                continue
            start = _include_house_number(text, token.start, phrase.house_number)
            what = phrase.what if count == len(phrase.words) else f"part of {phrase.what}"
            end = tokens[index + count - 1].end
            # The full stop of an abbreviation ("Larch Gr.") belongs to it.
            if text[end : end + 1] == "." and _spelling(tokens[index + count - 1].word) in _EXPANSIONS:
                end += 1
            yield _Candidate(
                start=start,
                end=end,
                kind=phrase.kind,
                reason=f"{'Matches' if total == 0 else 'Close to'} {what} ({phrase.person_label})",
                person_label=phrase.person_label,
                rank=_KNOWN_RANK,
            )


def _include_house_number(text: str, start: int, house_number: str | None) -> int:
    if house_number is None:
        return start
    before = re.search(
        rf"(?<![\w]){re.escape(house_number)},?\s+$", text[max(0, start - 20) : start], re.IGNORECASE
    )
    return start - len(before.group()) if before else start


def _phrases_for(identifier: KnownIdentifier) -> list[_Phrase]:
    if identifier.kind in ("name", "alias"):
        return _name_phrases(identifier)
    if identifier.kind == "address":
        return _address_phrases(identifier)
    if identifier.kind == "school":
        return _school_phrases(identifier)
    return []


def _name_phrases(identifier: KnownIdentifier) -> list[_Phrase]:
    role = identifier.kind
    words = [w for w in identifier.value.split() if _spelling(w).strip(".") not in _TITLES]
    parts_of = [[part for part in _HYPHENS.split(word) if _WORD.fullmatch(part)] for word in words]
    words = [word for word, parts in zip(words, parts_of, strict=True) if parts]
    parts_of = [parts for parts in parts_of if parts]

    def phrase(parts: list[str], what: str) -> _Phrase:
        return _Phrase(
            kind=role,
            words=tuple(frozenset({_spelling(part)}) for part in parts),
            required=len(parts),
            # Only a lone word needs the capital: beside the rest of the name, a lowercase
            # "will" or "de" is still the name.
            capitals_for_common=len(parts) == 1,
            capitals_for_slips=True,
            what=what,
            person_label=identifier.person_label,
        )

    all_parts = [part for parts in parts_of for part in parts]
    phrases = []
    if len(all_parts) > 1:
        whole = " ".join(words)
        phrases.append(
            phrase(all_parts, f"the full name '{whole}'" if role == "name" else f"the alias '{whole}'")
        )
    for position, (word, parts) in enumerate(zip(words, parts_of, strict=True)):
        label = _name_position(position, len(words), role)
        if len(parts) > 1 and len(words) > 1:
            phrases.append(phrase(parts, f"the {label} '{word}'"))
        if len(parts) > 1:
            # Written as one word ("LaceyMae") or re-hyphenated ("Lacie-Mae").
            phrases.append(phrase(["".join(parts)], f"the {label} '{word}'"))
        for part in parts:
            # A lone initial would match every "A" in the report.
            if len(part) < 2:
                continue
            what = f"the {label} '{word}'" if len(parts) == 1 else f"'{part}', part of the {label} '{word}'"
            phrases.append(phrase([part], what))
    if len(words) > 2:
        # The first name and surname without the middle names: "Ellie Demoson" for "Ellie Lacey-Mae Demoson".
        phrases.append(phrase([*parts_of[0], *parts_of[-1]], f"the name '{words[0]} {words[-1]}'"))
    for first, second in zip(words, words[1:], strict=False):
        # Two names written as one or hyphenated: "Harley Jay" as "HarleyJay" or "Harley-Jay".
        joined = "".join(part for part in _HYPHENS.split(f"{first}{second}") if part)
        phrases.append(phrase([joined], f"the name '{first} {second}'"))
    return phrases


def _name_position(position: int, count: int, role: str) -> str:
    if role == "alias" or count == 1:
        return role
    if position == 0:
        return "first name"
    if position == count - 1:
        return "surname"
    return "middle name"


def _word_spellings(word: str) -> frozenset[str]:
    spelling = _spelling(word)
    spellings = {spelling, *_EXPANSIONS.get(spelling, ()), *_ABBREVIATIONS.get(spelling, ())}
    return frozenset(spellings)


def _address_phrases(identifier: KnownIdentifier) -> list[_Phrase]:
    # The street line identifies a family; the town alone usually does not, and matching it
    # would flag every mention of the area the board covers.
    for line in re.split(r"[,\n]", identifier.value):
        line = _SUBPREMISES.sub("", line.strip())
        numbered = _HOUSE_NUMBER.match(line)
        house_number, street = (numbered.group(1), numbered.group(2)) if numbered else (None, line)
        words = _WORD.findall(street)
        # A line of numbers and letters ("14a") has no street name to look for.
        if not any(len(word) > 1 for word in words):
            continue
        spellings = [_word_spellings(word) for word in words]
        forms = [spellings]
        if len(words) > 1:
            # The street's name run together with its type: "Larchgrove" for "Larch Grove".
            joined = frozenset({_spelling(words[-2]) + _spelling(words[-1])})
            forms.append([*spellings[:-2], joined])
        return [
            _Phrase(
                kind="address",
                words=tuple(form),
                required=len(form),
                capitals_for_common=False,
                what=f"the address '{line}'",
                person_label=identifier.person_label,
                house_number=house_number,
            )
            for form in forms
        ]
    return []


def _school_phrases(identifier: KnownIdentifier) -> list[_Phrase]:
    words = _WORD.findall(identifier.value)
    while words and _spelling(words[0]) == "the":
        words = words[1:]
    if not words:
        return []
    distinctive = [i for i, word in enumerate(words) if _spelling(word) not in _SCHOOL_WORDS]
    required = min(distinctive[-1] + 2, len(words)) if distinctive else len(words)
    what = f"the school '{identifier.value.strip()}'"
    phrases = [
        _Phrase(
            kind="school",
            words=tuple(_word_spellings(word) for word in words),
            required=required,
            capitals_for_common=False,
            what=what,
            person_label=identifier.person_label,
        )
    ]
    if distinctive:
        # The same school as people also write it: without its "CE" or "RC", or with "School"
        # for "Primary School" ("St Mary's School", "Saint Marys Primary"). A type of school
        # must follow, because the name alone is usually a place or a church.
        core = tuple(
            _word_spellings(word)
            for word in words[: distinctive[-1] + 1]
            if _spelling(word) not in _SCHOOL_DENOMINATIONS
        )
        for middle in ((), (_SCHOOL_DENOMINATIONS,)):
            phrases.append(
                _Phrase(
                    kind="school",
                    words=(*core, *middle, _SCHOOL_TYPES, _SCHOOL_TYPES),
                    required=len(core) + len(middle) + 1,
                    capitals_for_common=False,
                    what=what,
                    person_label=identifier.person_label,
                )
            )
    return phrases


def _parse_date_of_birth(value: str) -> date:
    value = value.strip()
    for found in find_dates(value):
        if found.start == 0 and found.end == len(value) and not found.two_digit_year:
            return date(found.year, found.month, found.day)
    raise ValueError(f"Not a date of birth: {value!r} (use 2014-03-12 or 12/03/2014)")


def _known_date_candidates(dates: list[FoundDate], known: Sequence[KnownIdentifier]) -> Iterator[_Candidate]:
    for identifier in known:
        if identifier.kind != "date_of_birth":
            continue
        born = _parse_date_of_birth(identifier.value)
        for found in dates:
            if found.is_on(born):
                yield _Candidate(
                    start=found.start,
                    end=found.end,
                    kind="date_of_birth",
                    reason=f"Matches the date of birth {born.day} {born:%B %Y} ({identifier.person_label})",
                    person_label=identifier.person_label,
                    rank=_KNOWN_RANK,
                )


def _known_postcode_candidates(text: str, known: Sequence[KnownIdentifier]) -> Iterator[_Candidate]:
    for identifier in known:
        if identifier.kind != "postcode":
            continue
        compact = re.sub(r"\s+", "", identifier.value)
        # Recorded postcodes need not be valid (a demo "ZZ1 1ZZ" is not), so they are matched
        # literally, with or without the space before the last three characters.
        body = (
            re.escape(compact[:-3]) + r"(?:" + _BREAK + r")?" + re.escape(compact[-3:])
            if len(compact) > 3
            else re.escape(compact)
        )
        for match in re.finditer(rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])", text, re.IGNORECASE):
            yield _Candidate(
                start=match.start(),
                end=match.end(),
                kind="postcode",
                reason=f"Matches the postcode '{identifier.value.strip()}' ({identifier.person_label})",
                person_label=identifier.person_label,
                rank=_KNOWN_RANK,
            )


def _pattern_candidates(text: str, dates: list[FoundDate]) -> Iterator[_Candidate]:
    def candidate(match: re.Match[str], kind: str, reason: str) -> _Candidate:
        return _Candidate(match.start(), match.end(), kind, reason, None, _PATTERN_RANK[kind])

    for match in _POSTCODE.finditer(text):
        inward = match.group("inward")
        # "A1 2nd exit" has a postcode's shape; real postcodes are not written with a
        # lowercase ordinal, so that one case is let through.
        if inward is None or inward[1:] not in ("st", "nd", "rd", "th"):
            yield candidate(match, "postcode", "Looks like a UK postcode")
    for match in _NHS_NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match.group())
        if len(digits) == 10 and _nhs_checksum_passes(digits):
            yield candidate(match, "nhs_number", "An NHS number (its check digit is valid)")
    for match in _NI_NUMBER.finditer(text):
        prefix = match.group("prefix")
        # Without its final letter the number is only taken when written in capitals, so that
        # "on 12 03 14" in running text is not read as one.
        if prefix.upper() not in _NI_UNUSED_PREFIXES and (match.group("suffix") or prefix.isupper()):
            yield candidate(match, "ni_number", "Looks like a National Insurance number")
    for match in _PHONE.finditer(text):
        yield candidate(match, "phone", "Looks like a UK phone number")
    for match in _EMAIL.finditer(text):
        yield candidate(match, "email", "An email address")
    for found in dates:
        # Reports are full of event dates; only a date introduced as a birth date counts.
        trigger = _BIRTH_WORDS.search(text, max(0, found.start - _BIRTH_WORD_REACH), found.start)
        if trigger and len(re.findall(r"[^\W_]+", trigger.group("gap"))) <= _BIRTH_WORD_GAP:
            yield _Candidate(
                start=found.start,
                end=found.end,
                kind="possible_date_of_birth",
                reason=f"A full date after '{_squash(trigger.group('trigger'))}', so possibly a date of birth",
                person_label=None,
                rank=_PATTERN_RANK["possible_date_of_birth"],
            )


def _nhs_checksum_passes(digits: str) -> bool:
    # NHS modulus 11: weights 10 down to 2 on the first nine digits; a result of 10 means
    # the number was never issued.
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return check != 10 and check == int(digits[9])
