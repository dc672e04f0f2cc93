"""The learning pages and documents read as plain English: no "1 actions", no "(s)", no "published not
published", no list item numbered twice ("• 1.")."""

import re
from datetime import date

from django.urls import reverse

from casereview.learning import documents, report

from . import factories as f

AWKWARD = [
    (re.compile(r"(?<![\d.,])1 (?!of\b|in\b|or\b|to\b|and\b|year\b|question\b)[a-z]+s\b"), "a plural after 1"),
    (re.compile(r"\w\(s\)"), "a plural written as (s)"),
    (re.compile(r"published not published", re.IGNORECASE), "published not published"),
    (re.compile(r"\u2022\s*\d+[.)]"), "a bullet numbered again"),
]


def _problems(text: str) -> list[str]:
    return [f"{what}: \u201c{m.group()}\u201d" for pattern, what in AWKWARD for m in pattern.finditer(text)]


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_learning_pages_have_no_awkward_words(world, as_user):
    summary = f.summary(world)
    f.question(world)
    f.forum(world)
    audit = f.audit(world, sample=1)
    client = as_user(world.manager)
    urls = [reverse("learning:summary_detail", args=[summary.pk]), reverse("learning:summary_list"),
            reverse("learning:library"), reverse("learning:typology"), reverse("learning:question_list"),
            reverse("learning:forum_list"), reverse("learning:audit_list"),
            reverse("learning:audit_detail", args=[audit.pk]), reverse("learning:regional"),
            reverse("learning:annual_report") + "?year=2025"]
    found = {url: _problems(_visible_text(client.get(url).content.decode())) for url in urls}
    assert {url: p for url, p in found.items() if p} == {}


def test_documents_have_no_awkward_words(world):
    summary = f.summary(world)
    f.question(world)
    for doc in (documents.summary_document(summary), documents.briefing_document(summary),
                report.as_doc(report.build(world.board, 2025))):
        text = " ".join([doc.title, doc.subtitle] + [" ".join([s.heading, *s.paragraphs,
                                                                *(f"\u2022 {b}" for b in s.bullets)])
                                                       for s in doc.sections])
        assert _problems(text) == [], doc.title


def test_the_summary_page_says_when_it_is_not_yet_published(world, as_user):
    summary = f.summary(world, approved=False)
    page = _visible_text(as_user(world.manager).get(reverse("learning:summary_detail", args=[summary.pk]))
                         .content.decode())
    assert "Published: not yet" in page
    assert date(2025, 10, 1).strftime("%B %Y") in page
