"""Identifier benchmark (issue G4): the publication check against Microsoft Presidio on one labelled corpus.

    python bench/identifier_bench.py

Reports, for CaseReview's check (``casereview.lib.identifiers.scan``, told the case's people as the
service is) and for Presidio's pattern recognisers (which know nobody):

* recall: labelled identifiers touched by at least one hit;
* fully-covered recall: labelled identifiers whose every character is inside a hit;
* false positives per 10,000 characters of identifier-free review prose (and hits on the labelled
  texts that touch no label).

Presidio is the `bench` extra (``pip install -e ".[bench]"``). Its spaCy model is not used: no English
model is published on PyPI by spaCy's authors, and nothing is downloaded at run time.
"""

from __future__ import annotations

import logging
import platform
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from identifier_corpus import build_cases, identifier_free_text, labelled_documents  # noqa: E402

from casereview.lib.identifiers import person_identifiers, scan  # noqa: E402

Span = tuple[int, int]


def casereview_detector():
    known = {
        case.slug: [
            identifier
            for person in case.people
            for identifier in person_identifiers(
                person.label, full_name=person.full_name, aliases=person.aliases,
                date_of_birth=person.date_of_birth, address=person.address, postcode=person.postcode,
                school=person.school)
        ]
        for case in build_cases()
    }

    def detect(slug: str, text: str) -> list[Span]:
        return [(hit.start, hit.end) for hit in scan(text, known[slug])]

    return detect


# Presidio's recognisers for what a UK review can hold; US, finance and network ones are left out
# so that they cannot add false positives.
PRESIDIO_RECOGNISERS = ("NhsRecognizer", "UkNinoRecognizer", "UkPostcodeRecognizer", "PhoneRecognizer",
                        "EmailRecognizer", "DateRecognizer", "UrlRecognizer")


def presidio_detector():
    try:
        import tldextract
        from presidio_analyzer import RecognizerRegistry
        from presidio_analyzer import predefined_recognizers as predefined
    except ImportError:
        return None
    # Presidio's email check asks tldextract, which would fetch the public suffix list; use the copy
    # the package ships instead, so the benchmark never touches the network.
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = offline
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(languages=["en"])
    recognisers = [r for r in registry.recognizers if type(r).__name__ in PRESIDIO_RECOGNISERS]
    for name in ("UkNinoRecognizer", "UkPostcodeRecognizer"):
        if not any(type(r).__name__ == name for r in recognisers) and hasattr(predefined, name):
            recognisers.append(getattr(predefined, name)())

    def detect(slug: str, text: str) -> list[Span]:
        spans = []
        for recogniser in recognisers:
            for result in recogniser.analyze(text, recogniser.supported_entities, None) or []:
                if result.score > 0:
                    spans.append((result.start, result.end))
        return spans

    return detect


def covered(span: Span, text: str, hits: list[Span]) -> tuple[bool, bool]:
    start, end = span
    touched = any(h_start < end and start < h_end for h_start, h_end in hits)
    inside = set()
    for h_start, h_end in hits:
        inside.update(range(max(start, h_start), min(end, h_end)))
    full = all(i in inside for i in range(start, end) if not text[i].isspace())
    return touched, full


def measure(detect) -> dict:
    documents = labelled_documents()
    per_family: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    stray = 0
    misses = []
    for document in documents:
        hits = detect(document.case, document.text)
        for start, end, family in document.spans:
            touched, full = covered((start, end), document.text, hits)
            per_family[family][0] += 1
            per_family[family][1] += touched
            per_family[family][2] += full
            if not full:
                misses.append((family, document.text[start:end]))
        stray += sum(1 for h in hits if not any(s < h[1] and h[0] < e for s, e, _ in document.spans))
    free = identifier_free_text()
    free_chars = sum(len(text) for _, text in free)
    false_positives = []
    for slug, text in free:
        false_positives += [text[s:e] for s, e in detect(slug, text)]
    total = sum(v[0] for v in per_family.values())
    return {
        "labels": total,
        "recall": sum(v[1] for v in per_family.values()) / total,
        "full": sum(v[2] for v in per_family.values()) / total,
        "per_family": dict(per_family),
        "stray": stray,
        "free_chars": free_chars,
        "fp": len(false_positives),
        "fp_per_10k": len(false_positives) / free_chars * 10_000,
        "fp_examples": false_positives[:8],
        "misses": misses,
    }


def main() -> int:
    print(f"Machine: {platform.machine()}, Python {platform.python_version()}, {date.today():%d %B %Y}")
    results = {}
    for name, factory in (("CaseReview", casereview_detector), ("Presidio (pattern recognisers)", presidio_detector)):
        detect = factory()
        if detect is None:
            print(f"{name}: not installed (pip install -e '.[bench]')")
            continue
        began = time.perf_counter()
        results[name] = measure(detect)
        results[name]["seconds"] = time.perf_counter() - began
    first = next(iter(results.values()))
    print(f"Corpus: {first['labels']} labelled identifiers; {first['free_chars']:,} characters of identifier-free text")
    print()
    print("| Detector | Recall | Fully covered | FP per 10k chars (FP) | Hits off-label in labelled texts | Time |")
    print("|---|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['recall']:.3f} | {r['full']:.3f} | {r['fp_per_10k']:.2f} ({r['fp']}) | "
              f"{r['stray']} | {r['seconds']:.1f} s |")
    print()
    families = sorted(first["per_family"])
    print("| Family (labelled) | " + " | ".join(results) + " |")
    print("|---|" + "---|" * len(results))
    for family in families:
        cells = []
        for r in results.values():
            n, touched, full = r["per_family"].get(family, (0, 0, 0))
            cells.append(f"{touched}/{n} ({full} fully)")
        print(f"| {family} ({first['per_family'][family][0]}) | " + " | ".join(cells) + " |")
    for name, r in results.items():
        if r["misses"]:
            print(f"\n{name} misses (not fully covered), first 15: {r['misses'][:15]!r}")
        if r["fp_examples"]:
            print(f"{name} false positives, first 8: {r['fp_examples']!r}")
    ours = results["CaseReview"]
    return 0 if ours["recall"] >= 0.98 and ours["fp_per_10k"] < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
