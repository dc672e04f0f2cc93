"""Suggesting entries of two agencies that record the same event, for the review group to decide.

A suggestion is only a suggestion: the review group confirms or dismisses each pair (DuplicateDecision,
audited); confirmed pairs form the duplicate groups shown in the merged chronology and its exports, and a
dismissed pair is never suggested again. Two kinds of evidence make a suggestion:

- the same event in different words: dated within a few days, sharing the words that carry the meaning
  (stop words dropped, simple word endings ignored, so "bruises" meets "bruise" and "referred" "referral");
- one agency's referral (a call, an email, a report to the other agency) and the other agency's record of
  receiving it, dated within a few days, even when the two texts share few words.

Precision and recall against a labelled set of fictional pairs are reported in BENCHMARKS.md (`make bench`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

MAX_DAYS = 3
# Share of the shorter text's meaningful words that the other text also has.
SAME_WORDS = 0.5
SAME_WORDS_NEXT_DAYS = 0.6
MIN_SHARED = 2

_STOP = frozenset("""
a about after again all also an and any are as at be been before being but by can could did do does for from
had has have he her hers him his i if in into is it its made make me more most my no not of on once or other
our out over own same she should so some such than that the their them then there these they this those to
too under until up very was we were what when where which while who whom why will with would you your yours
child children mother father mum dad parent parents family today yesterday morning afternoon evening
""".split())

_REFERRAL = re.compile(r"\b(refer\w*|report\w*|contact\w*|call\w*|phon\w*|rang|ring\w*|notif\w*|email\w*|"
                       r"sent|send\w*|shar\w*|told|tell\w*|inform\w*|alert\w*|raised|passed)\b")
_RECEIPT = re.compile(r"\b(receiv\w*|from|came in|logged|call from|contact from|referral from|report from|"
                      r"information from|concern from|made by)\b")

# Words agencies use for one another, by a word in the agency's name.
_ALIASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("police", ("police", "officer", "officers", "pc", "constable")),
    ("school", ("school", "teacher", "headteacher", "dsl", "academy", "class")),
    ("academy", ("school", "teacher", "headteacher", "dsl", "academy")),
    ("social", ("social care", "social worker", "csc", "children's services", "childrens services", "mash",
                "front door", "duty team", "social services")),
    ("children's services", ("social care", "social worker", "csc", "children's services", "mash")),
    ("health", ("health visitor", "hv", "health", "nurse", "gp", "doctor", "surgery", "midwife")),
    ("gp", ("gp", "doctor", "surgery", "practice")),
    ("hospital", ("hospital", "a&e", "emergency department", "ed", "paediatrician", "ward")),
    ("housing", ("housing", "landlord", "tenancy")),
)


@dataclass(frozen=True)
class Candidate:
    """One entry as the suggester sees it."""

    id: int
    agency_id: int
    agency_name: str
    agency_code: str
    day: date
    text: str
    ref: str = ""


@dataclass(frozen=True)
class Suggestion:
    a: Candidate
    b: Candidate
    score: int
    reason: str

    @property
    def pair(self) -> tuple[Candidate, Candidate]:
        return (self.a, self.b) if (self.a.day, self.a.id) <= (self.b.day, self.b.id) else (self.b, self.a)


def _stem(word: str) -> str:
    for ending in ("ings", "ing", "ers", "ed", "es", "er", "al", "s"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)]
    return word


def _words(text: str) -> dict[str, str]:
    """The meaningful words of a text, by their stem, each with the word as written (for the reason shown)."""
    words: dict[str, str] = {}
    for word in re.findall(r"[a-z0-9']+", text.casefold()):
        if word not in _STOP and len(word) > 1:
            words.setdefault(_stem(word), word)
    return words


def agency_words(name: str, code: str) -> tuple[str, ...]:
    """How other agencies' records name this agency: its code, its name, and the usual words for it."""
    lowered = name.casefold()
    words = {code.casefold(), lowered}
    for key, aliases in _ALIASES:
        if key in lowered or key == code.casefold():
            words.update(aliases)
    return tuple(sorted(words, key=len, reverse=True))


def _mentions(text: str, words: Sequence[str]) -> bool:
    return any(re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text) for word in words)


class _Prepared:
    __slots__ = ("candidate", "words", "tells", "hears", "reports", "receives")

    def __init__(self, candidate: Candidate, agencies: dict[int, tuple[str, ...]]) -> None:
        """`agencies` maps every agency id in play to the words for it."""
        self.candidate = candidate
        lowered = candidate.text.casefold()
        self.words = _words(candidate.text)
        referral = _REFERRAL.search(lowered) is not None
        receipt = _RECEIPT.search(lowered) is not None
        named = {agency for agency, words in agencies.items()
                 if agency != candidate.agency_id and (referral or receipt) and _mentions(lowered, words)}
        # The agencies this record says it heard from ("referral received from the police"), or else those it
        # says it told ("called the police").
        self.hears = frozenset(named) if receipt else frozenset()
        self.tells = frozenset(named) if referral and not receipt else frozenset()
        self.reports, self.receives = referral, receipt


def _referral(sender: _Prepared, receiver: _Prepared, shared: bool) -> bool:
    """The sender's record tells of passing something to the receiver, or the receiver's record tells of
    getting it from the sender; and the pair is about the same thing: the two share a word about what
    happened, or the other side's record speaks of passing it on (or of receiving it) too."""
    told = receiver.candidate.agency_id in sender.tells and (shared or receiver.receives)
    heard = sender.candidate.agency_id in receiver.hears and (shared or sender.reports)
    return told or heard


def score_pair(a: Candidate, b: Candidate) -> Suggestion | None:
    """The suggestion that a and b record the same event, or None."""
    agencies = {c.agency_id: agency_words(c.agency_name, c.agency_code) for c in (a, b)}
    return _score(_Prepared(a, agencies), _Prepared(b, agencies))


def _score(pa: _Prepared, pb: _Prepared) -> Suggestion | None:
    a, b = pa.candidate, pb.candidate
    if a.agency_id == b.agency_id:
        return None
    days = abs((a.day - b.day).days)
    if days > MAX_DAYS:
        return None
    shared = pa.words.keys() & pb.words.keys()
    overlap = len(shared) / max(min(len(pa.words), len(pb.words)), 1)
    apart = "the same day" if days == 0 else f"{days} day{'s' if days != 1 else ''} apart"
    a_told_b, b_told_a = _referral(pa, pb, bool(shared)), _referral(pb, pa, bool(shared))
    if a_told_b or b_told_a:
        sender, receiver = (a, b) if a_told_b else (b, a)
        score = min(99, 70 + int(overlap * 20) + (5 if days == 0 else 0))
        return Suggestion(a, b, score, f"{sender.agency_code} told {receiver.agency_code} and "
                                       f"{receiver.agency_code} recorded it, {apart}")
    needed = SAME_WORDS if days <= 1 else SAME_WORDS_NEXT_DAYS
    if len(shared) >= MIN_SHARED and overlap >= needed:
        similarity = fuzz.token_set_ratio(" ".join(sorted(pa.words)), " ".join(sorted(pb.words)))
        score = min(99, int(overlap * 60 + similarity * 0.4) - 5 * days)
        shown = sorted(pa.words[stem] for stem in shared)[:4]
        return Suggestion(a, b, score, f"Similar words ({', '.join(shown)}), {apart}")
    return None


def suggest(candidates: Iterable[Candidate], *, decided: set[frozenset[int]] | None = None,
            limit: int = 500) -> list[Suggestion]:
    """Suggested pairs among the candidates, best first, leaving out the pairs already decided."""
    candidates = list(candidates)
    agencies = {c.agency_id: agency_words(c.agency_name, c.agency_code) for c in candidates}
    by_day: dict[int, list[_Prepared]] = defaultdict(list)
    for candidate in candidates:
        by_day[candidate.day.toordinal()].append(_Prepared(candidate, agencies))
    decided = decided or set()
    found: list[Suggestion] = []
    for ordinal in sorted(by_day):
        today = by_day[ordinal]
        later = [p for offset in range(1, MAX_DAYS + 1) for p in by_day.get(ordinal + offset, [])]
        for i, first in enumerate(today):
            for second in today[i + 1:] + later:
                if frozenset((first.candidate.id, second.candidate.id)) in decided:
                    continue
                suggestion = _score(first, second)
                if suggestion is not None:
                    found.append(suggestion)
    found.sort(key=lambda s: (-s.score, s.a.day, s.a.id, s.b.id))
    return found[:limit]
