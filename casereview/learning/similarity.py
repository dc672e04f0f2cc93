"""Does a new finding repeat learning the board has seen before? Text similarity plus shared themes.

Framework-free (no Django) so it can be measured on its own: tests/learning/test_recurring_quality.py runs
it over a labelled set of fictional finding pairs and reports precision and recall.

Text similarity is TF-IDF cosine over stemmed words and adjacent word pairs. Common words of the trade
("agencies", "child", "practitioners") are stop words: every finding has them, so they say nothing about
whether two findings carry the same lesson. The IDF comes from the board's own learning, so words the board
writes all the time weigh little.

A finding repeats earlier learning when

* they share at least one theme and their texts are similar (cosine >= THEMED_THRESHOLD), or
* their texts are very similar whatever the tagging (cosine >= UNTHEMED_THRESHOLD): tagging is done by
  different people years apart and is often incomplete, so a strong textual match must not be missed.

Both thresholds were set from first principles before the labelled set was scored (a shared theme plus a
fifth of the weighted vocabulary in common; or a third of it without a theme), and the labelled set is then
used to check them, not to fit them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

THEMED_THRESHOLD = 0.20
UNTHEMED_THRESHOLD = 0.33

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each either few for from further had has have
having he her here hers him his how i if in into is it its itself just may me might more most much must my
no nor not of off on once one only or other our ours out over own same she should so some such than that the
their them then there these they this those through to too under until up upon very was we were what when
where which while who whom why will with within without would you your yet
child children child's young person people family families agency agencies practitioner practitioners
professional professionals worker workers staff service services case cases review reviews board partner
partners multi multiagency there's it's wasn't weren't didn't
""".split())

_SUFFIXES = ("ational", "ations", "ation", "ments", "ment", "ities", "ity", "ings", "ing", "ness", "edly", "ies",
             "ied", "ed", "es", "ly", "s")


def stem(word: str) -> str:
    word = word.removesuffix("'s")
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            base = word[: -len(suffix)]
            return base + "y" if suffix in ("ies", "ied", "ities") else base
    return word


@dataclass(frozen=True)
class Token:
    stem: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    lowered = (text or "").lower().replace("\u2019", "'")
    return [Token(stem(m.group()), m.start(), m.end()) for m in _WORD.finditer(lowered)
            if m.group() not in STOP_WORDS and len(m.group()) > 2 and not m.group().isdigit()]


def features(text: str) -> Counter:
    toks = [t.stem for t in tokens(text)]
    counts = Counter(toks)
    counts.update(f"{a} {b}" for a, b in zip(toks, toks[1:], strict=False))
    return counts


class Corpus:
    """Document frequencies of a body of learning, for IDF weights."""

    def __init__(self, texts: Iterable[str]):
        self.size = 0
        self.df: Counter = Counter()
        for text in texts:
            self.size += 1
            self.df.update(set(features(text)))

    def idf(self, feature: str) -> float:
        return math.log((1 + self.size) / (1 + self.df.get(feature, 0))) + 1.0

    def vector(self, text: str) -> dict[str, float]:
        return {f: (1.0 + math.log(n)) * self.idf(f) for f, n in features(text).items()}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(weight * b.get(f, 0.0) for f, weight in a.items())
    norm = math.sqrt(sum(w * w for w in a.values())) * math.sqrt(sum(w * w for w in b.values()))
    return dot / norm if norm else 0.0


def is_recurring(text_similarity: float, shared_theme_count: int) -> bool:
    if shared_theme_count and text_similarity >= THEMED_THRESHOLD:
        return True
    return text_similarity >= UNTHEMED_THRESHOLD


def score(text_similarity: float, shared_theme_count: int, theme_count: int) -> float:
    """One number to order matches by: mostly the text, with credit for the themes in common."""
    theme_share = shared_theme_count / theme_count if theme_count else 0.0
    return round(0.75 * text_similarity + 0.25 * theme_share, 4)


def shared_phrases(new_text: str, old_text: str, *, limit: int = 3) -> list[str]:
    """Runs of two or more meaningful words the texts have in common, as written in the new text."""
    a, b = tokens(new_text), tokens(old_text)
    b_stems = [t.stem for t in b]
    found: list[tuple[int, int, int]] = []  # (length, start index in a, end index in a)
    i = 0
    while i < len(a):
        best = 0
        for j in range(len(b)):
            length = 0
            while i + length < len(a) and j + length < len(b) and a[i + length].stem == b_stems[j + length]:
                length += 1
            best = max(best, length)
        if best >= 2:
            found.append((best, i, i + best - 1))
            i += best
        else:
            i += 1
    found.sort(key=lambda f: (-f[0], f[1]))
    phrases: list[str] = []
    for _, first, last in found:
        phrase = re.sub(r"\s+", " ", new_text[a[first].start : a[last].end])
        if phrase.lower() not in (p.lower() for p in phrases):
            phrases.append(phrase)
        if len(phrases) == limit:
            break
    return phrases


def shared_words(new_text: str, old_text: str, corpus: Corpus, *, limit: int = 5) -> list[str]:
    """The rarest words the two texts share, as written in the new text."""
    old = {t.stem for t in tokens(old_text)}
    seen: dict[str, str] = {}
    lowered = new_text.lower()
    for t in tokens(new_text):
        if t.stem in old and t.stem not in seen:
            seen[t.stem] = lowered[t.start : t.end]
    ranked = sorted(seen.items(), key=lambda kv: -corpus.idf(kv[0]))
    return [word for _, word in ranked[:limit]]
