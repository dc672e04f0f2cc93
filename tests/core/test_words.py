"""The product speaks to boards in their words: a crawl of the demo board's pages, as the people who use them,
scanning what a person reads for our words ("casereview", "seed", event codes like meeting.minutes_saved) and
for plurals a person would stumble on ("1 actions").

Pages are reached the way a person reaches them: from the home page, following links (GET only, HTML only).
"""

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

from django.core.management import call_command
from django.test import Client

from casereview.partnership.models import User

PAGES_PER_PERSON = 120
SKIP = ("/accounts/", "/static/", "/api/", "/media/")
# Nouns whose "1 ...s" is wrong. Words that end in s in the singular are left out on purpose.
PLURAL_AFTER_ONE = re.compile(r"\b1 (?!(?:[a-z]*ss|[a-z]*us|is|has|was|yes|its|this)\b)([a-z]+s)\b")
EVENT_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)*\.[a-z]+_[a-z_]+\b")
OUR_WORDS = re.compile(r"\bcasereview\b|\bseed(?:ed|s)?\b", re.IGNORECASE)


class _Text(HTMLParser):
    """What a person reads: text outside script/style/code, plus the alt and title texts; and the links."""

    def __init__(self):
        super().__init__()
        self.parts, self.links, self._hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style", "code", "textarea", "pre"):
            self._hidden += 1
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.links.append(attrs["href"])
        for name in ("alt", "title"):
            if attrs.get(name):
                self.parts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "textarea", "pre") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def _problems(text: str) -> list[str]:
    # "CaseReview", the service's name, is right; "casereview" in lower case is our package name.
    found = [f"plural: {m.group(0)!r}" for m in PLURAL_AFTER_ONE.finditer(text)]
    found += [f"event code: {m.group(0)!r}" for m in EVENT_CODE.finditer(text)]
    found += [f"our word: {m.group(0)!r}" for m in OUR_WORDS.finditer(text) if m.group(0) != "CaseReview"]
    return found


def _crawl(client: Client) -> dict[str, set[str]]:
    seen, queue, report = set(), deque(["/"]), {}
    while queue and len(seen) < PAGES_PER_PERSON:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = _Text()
        parser.feed(response.content.decode())
        problems = _problems(" ".join(" ".join(parser.parts).split()))
        if problems:
            report.setdefault(re.sub(r"/\d+/", "/N/", urlsplit(url).path), set()).update(problems)
        for href in parser.links:
            href = urldefrag(href)[0]
            parts = urlsplit(href)
            if parts.netloc or not href.startswith("/") or href.startswith(SKIP) or "?" in href:
                continue
            if href not in seen:
                queue.append(href)
    return report


# Found on other engineers' pages when this test was written (path with ids as N, problem). Each entry is a
# debt for the app that owns the page; the test fails when an entry is no longer found, so the list only shrinks.
KNOWN_ELSEWHERE: set[tuple[str, str]] = set()


def test_pages_speak_the_boards_words(db, settings):
    settings.DEMO_MODE = True
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - quiet
    found: set[tuple[str, str]] = set()
    for username in ("manager", "scr-chair", "police-lead", "reviewer"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        found |= {(path, problem) for path, problems in _crawl(client).items() for problem in problems}
    new = sorted(found - KNOWN_ELSEWHERE)
    assert not new, "Pages with words a board would stumble on:\n" + "\n".join(f"{p}: {w}" for p, w in new)
    fixed = sorted(KNOWN_ELSEWHERE - found)
    assert not fixed, f"Fixed, remove from KNOWN_ELSEWHERE: {fixed}"


def test_the_scanner_catches_what_it_looks_for():
    assert _problems("You have 1 actions and 1 plans") == ["plural: '1 actions'", "plural: '1 plans'"]
    assert _problems("1 process, 1 business, 1 of 3, 2 actions") == []
    assert _problems("Event meeting.minutes_saved happened") == ["event code: 'meeting.minutes_saved'"]
    assert _problems("written in casereview from the seed") == ["our word: 'casereview'", "our word: 'seed'"]
    assert _problems("CaseReview is the service; see example.org") == []
