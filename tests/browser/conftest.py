import os

import pytest

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

# Playwright's sync API runs an event loop; Django must allow ORM calls from the test thread regardless.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def sign_in(live_server, settings):
    settings.DEMO_MODE = True

    def go(page, user):
        user.is_demo_account = True
        user.save(update_fields=["is_demo_account"])
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_login", user.username)
        page.fill("#id_password", "correct horse battery staple")
        page.click("button:has-text('Sign in')")
        page.wait_for_url(f"{live_server.url}/")

    return go
