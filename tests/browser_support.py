"""Playwright on Debian's chromium, and an axe-core check for WCAG 2.2 A and AA."""

from axe_playwright_python.sync_playwright import Axe

CHROMIUM = "/usr/bin/chromium"
# The closed network of CI refuses Chromium's background connections; these flags stop it making them.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

_axe = Axe()


def axe_violations(page) -> list[str]:
    """Every WCAG 2.2 A/AA violation on the page, as 'rule-id: help (n nodes)'."""
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: {v['nodes'][0]['target']})"
            for v in results.response["violations"]]
