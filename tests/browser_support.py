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


def accessible(page) -> bool:
    """The page has no WCAG 2.2 A/AA violation axe-core can find (asserted; True so it reads in an `and`)."""
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {violations}"
    return True


def fill_date(page, field: str, day) -> None:
    """Type a date into a GOV.UK date input (day, month, year boxes) of the form field `field`."""
    page.fill(f"#id_{field}_0", str(day.day))
    page.fill(f"#id_{field}_1", str(day.month))
    page.fill(f"#id_{field}_2", str(day.year))


def success(page) -> str:
    """The success banner's words; when there is none, the test fails with what the page said instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    banner = page.locator(".govuk-notification-banner--success")
    try:
        banner.wait_for()
    except PlaywrightTimeout:
        problem = page.locator(".govuk-error-summary")
        raise AssertionError(f"{page.url}: {problem.inner_text() if problem.count() else 'no success banner'}") \
            from None
    return banner.inner_text()


def section(page, name: str) -> None:
    """Open one part of a review from its side navigation."""
    page.get_by_role("navigation", name="Parts of this review").get_by_role("link", name=name, exact=True).click()
