"""Personas shared by every test: one board with two agencies, and an outsider from another board.

The access matrix walks every URL with each of these and asserts allow or deny.
"""

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from casereview.partnership.roles import Role
from tests.browser_support import CHROMIUM, CHROMIUM_ARGS
from tests.factories import (
    AgencyFactory,
    BoardFactory,
    CaseAccessFactory,
    CaseAgencyFactory,
    CaseFactory,
    CommitteeFactory,
    UserFactory,
)


@dataclass
class World:
    board: object
    other_board: object
    agency_a: object
    agency_b: object
    manager: object
    chair: object
    author_a: object
    author_b: object
    lead_a: object
    reviewer: object
    practitioner: object
    outsider: object
    case: object  # involves agency A; the reviewer has been given access
    committee: object
    other_agency: object  # belongs to the other board

    def personas(self) -> dict[str, object | None]:
        return {
            "business_manager": self.manager,
            "chair": self.chair,
            "agency_a_author": self.author_a,
            "agency_b_author": self.author_b,
            "lead_reviewer": self.reviewer,
            "practitioner": self.practitioner,
            "other_board_user": self.outsider,
            "anonymous": None,
        }


@pytest.fixture(scope="session")
def django_db_keepdb(request):
    """Reuse the SQLite test database built from the same migrations (see tests/settings.py)."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return not request.config.getvalue("create_db")
    return request.config.getvalue("reuse_db") and not request.config.getvalue("create_db")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A reused database may hold rows of a run that was interrupted: start every run from empty tables."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def world(db) -> World:
    board = BoardFactory(name="Testshire Safeguarding Children Board", slug="testshire")
    other_board = BoardFactory(name="Elsewhere Safeguarding Children Board", slug="elsewhere")
    agency_a = AgencyFactory(board=board, name="Testshire Police", short_code="TPOL")
    agency_b = AgencyFactory(board=board, name="Testshire Health", short_code="THLT")
    manager = UserFactory(board=board, username="bm", roles=[Role.BUSINESS_MANAGER])
    chair = UserFactory(board=board, username="ichair", roles=[Role.INDEPENDENT_CHAIR])
    author_a = UserFactory(board=board, agency=agency_a, username="author-a", roles=[Role.AGENCY_AUTHOR])
    author_b = UserFactory(board=board, agency=agency_b, username="author-b", roles=[Role.AGENCY_AUTHOR])
    lead_a = UserFactory(board=board, agency=agency_a, username="lead-a", roles=[Role.AGENCY_LEAD])
    reviewer = UserFactory(board=board, username="reviewer", roles=[Role.LEAD_REVIEWER])
    practitioner = UserFactory(board=board, agency=agency_b, username="prac", roles=[Role.PRACTITIONER])
    outsider = UserFactory(board=other_board, username="outsider", roles=[Role.BUSINESS_MANAGER])
    case = CaseFactory(board=board, reference="TEST-0001", pseudonym="Child Q")
    CaseAgencyFactory(case=case, agency=agency_a)
    CaseAccessFactory(case=case, user=reviewer, granted_by=manager)
    committee = CommitteeFactory(board=board, name="Testshire Performance Committee")
    other_agency = AgencyFactory(board=other_board, name="Elsewhere Police", short_code="EPOL")
    return World(board, other_board, agency_a, agency_b, manager, chair, author_a, author_b, lead_a, reviewer,
                 practitioner, outsider, case, committee, other_agency)


@pytest.fixture
def as_user(settings):
    """A client signed in as the given user (two-factor is satisfied by marking them as demo in demo mode)."""
    settings.DEMO_MODE = True

    def make(user) -> Client:
        client = Client()
        if user is not None:
            if not user.is_demo_account:
                user.is_demo_account = True
                user.save(update_fields=["is_demo_account"])
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Sign-in rate limits live in the cache: one test's failed sign-ins must not lock out the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- Browser fixtures: one Playwright driving Debian's chromium for the whole run (two would clash) ---
# Playwright's sync API runs an event loop in this thread; the ORM must still be usable from the tests.
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


@pytest.fixture
def person(browser, sign_in):
    """Opens a browser of its own for each person, signed in (or not, for None); all closed at the end."""
    contexts = []

    def open_as(user):
        context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
        # Generous: publication makes the public PDF while the request waits, on a busy two-core machine.
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            sign_in(page, user)
        return page

    yield open_as
    for context in contexts:
        context.close()


def pytest_collection_modifyitems(config, items):
    """Every test is unit, integration or browser, so a run can pick a layer: `pytest -m unit`."""
    for item in items:
        if item.get_closest_marker("browser") or item.get_closest_marker("unit"):
            continue
        if "/tests/lib/" in str(item.path):
            item.add_marker(pytest.mark.unit)
        else:
            item.add_marker(pytest.mark.integration)
