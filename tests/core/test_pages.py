import pytest
from django.urls import reverse


def test_it_sends_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_home_shows_the_persons_board_and_roles(world, as_user):
    response = as_user(world.manager).get(reverse("home"))
    assert response.status_code == 200
    assert "Testshire Safeguarding Children Board" in response.text
    assert "Business Manager" in response.text


def test_navigation_follows_the_role(world, as_user):
    """The audit trail and the email log are grouped under "Board", whose page lists them for the manager."""
    manager_board = as_user(world.manager).get(reverse("partnership:board")).text
    author_board = as_user(world.author_a).get(reverse("partnership:board")).text
    assert 'href="/audit/"' in manager_board and 'href="/emails/"' in manager_board
    assert 'href="/audit/"' not in author_board
    audit_page = as_user(world.manager).get(reverse("audit:list")).text
    assert 'govuk-service-navigation__item--active"><a class="govuk-service-navigation__link" href="/board/"' in \
        audit_page.replace("\n", "").replace("  ", "")


def test_pages_use_the_govuk_template_without_the_crown_or_gds_font(world, as_user):
    html = as_user(world.manager).get(reverse("partnership:board")).text
    assert "govuk-template" in html and "govuk-service-navigation" in html and "govuk-phase-banner" in html
    assert "govuk-logo" not in html and "crown" not in html.lower()
    css = open("casereview/static/govuk-frontend/govuk-frontend.min.css", encoding="utf-8").read()
    assert "GDS Transport" not in css


def test_not_found_page_is_styled_and_does_not_leak(world, as_user):
    response = as_user(world.manager).get("/cases/999999/")
    assert response.status_code == 404
    assert "Page not found" in response.text and "govuk-heading-l" in response.text


def test_forbidden_page_is_styled(world, as_user):
    response = as_user(world.author_a).get(reverse("audit:list"))
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.text


def test_server_error_page_is_styled(rf):
    from casereview.core.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert b"Sorry, there is a problem with the service" in response.content


def test_security_headers_forbid_inline_script(world, as_user):
    response = as_user(world.manager).get(reverse("home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"


def test_no_page_has_inline_script_or_style(world, as_user):
    html = as_user(world.manager).get(reverse("partnership:board")).text
    assert "<script>" not in html and "<style" not in html and " style=" not in html


@pytest.mark.parametrize("name", ["accessibility", "privacy"])
def test_public_information_pages_need_no_sign_in(client, db, name):
    assert client.get(reverse(name)).status_code == 200


def test_a_page_with_errors_says_so_first_in_its_title(world, as_user):
    response = as_user(world.manager).post(reverse("partnership:agency_create"), {"name": ""})
    assert "<title>Error: Add an agency" in response.text
    assert "<title>Add an agency" in as_user(world.manager).get(reverse("partnership:agency_create")).text
