import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

import tests
from casereview.audit.case_views import CASE_RECORD_KWARGS, CASE_RECORD_PAGES, NOT_RECORD_CONTENT
from casereview.audit.models import AuditEvent
from tests.access_matrix import PERSONAS, REDIRECT, REFUSED_REDIRECT, Rule

# URL names that belong to libraries, not to CaseReview (allauth's sign-in pages, the platform admin).
# The API ("api") has its own matrix with token-authenticated personas: tests/api/test_api_matrix.py.
THIRD_PARTY_NAMESPACES = {"admin", "api"}
THIRD_PARTY_PREFIXES = ("account_", "mfa_", "socialaccount_", "usersessions_", "headless_")
PUBLIC = {"healthz", "accessibility", "privacy"}  # checked by their own tests, open to everyone


def collect_rules() -> list[Rule]:
    rules: list[Rule] = []
    for module in pkgutil.iter_modules(tests.__path__):
        if module.ispkg and importlib.util.find_spec(f"tests.{module.name}.access"):
            rules.extend(importlib.import_module(f"tests.{module.name}.access").ACCESS)
    return rules


def service_url_names(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in THIRD_PARTY_NAMESPACES:
                continue
            names |= service_url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            if entry.name.startswith(THIRD_PARTY_PREFIXES) or (not namespace and entry.name in PUBLIC):
                continue
            names.add(f"{namespace}{entry.name}")
    return names


RULES = collect_rules()

# POST rules that expect REDIRECT (the change happened) for a persona whose request in fact changed nothing (no
# audit event): the rule's data or set-up does not make the action possible, so the matrix cannot tell the
# persona was allowed. Each is a debt: give the rule data that lets the action happen (or expect
# REFUSED_REDIRECT). The test fails when an entry is no longer needed, so this list only shrinks.
KNOWN_REDIRECT_WITHOUT_CHANGE: set[str] = {
    "actions:outcome_remove", "chronology:request_chase", "chronology:draft_start",
    "chronology:import_retry", "chronology:duplicate_decide", "committees:agenda_add",
    "committees:agenda_item_move", "committees:minutes_approve", "learning:recurring_scan", "learning:forum_close",
    "learning:forum_plan", "learning:audit_complete", "learning:audit_plan", "partnership:person_invite",
    "reviews:start_analysis", "reviews:consultation_toggle", "reviews:submit_qa", "reviews:approve",
}


def test_every_known_redirect_without_change_is_a_url_with_a_post_rule():
    posts = {rule.url_name for rule in collect_rules() if rule.method == "post"}
    assert KNOWN_REDIRECT_WITHOUT_CHANGE <= posts, "remove names that are no longer URLs with a POST rule"


def test_every_service_url_has_an_access_rule():
    covered = {rule.url_name for rule in RULES}
    missing = sorted(service_url_names() - covered)
    assert not missing, f"Add access rules (tests/<app>/access.py) for: {', '.join(missing)}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.method.upper()} {r.url_name}")
def test_access(rule: Rule, world, as_user):
    outcomes = {}
    unaudited = []
    for persona in PERSONAS:
        extra = rule.setup(world) if rule.setup else {}
        url = reverse(rule.url_name, kwargs={**rule.kwargs(world), **extra})
        user = world.personas()[persona]
        client = as_user(user)
        last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        response = getattr(client, rule.method)(url, rule.data(world))
        outcomes[persona] = response.status_code
        wrote = user is not None and AuditEvent.objects.filter(id__gt=last_event, actor_id=user.pk).exists()
        if rule.method == "get" and response.status_code == 200 and is_case_record_page(url) and not wrote:
            unaudited.append(persona)
        if rule.method == "post" and response.status_code == 302 and persona != "anonymous" and not wrote:
            # Allowed and refused both redirect: allowed means the change happened, and every change is audited.
            outcomes[persona] = REFUSED_REDIRECT
    if rule.method == "post" and rule.url_name in KNOWN_REDIRECT_WITHOUT_CHANGE:
        refused = {p for p, outcome in outcomes.items() if outcome == REFUSED_REDIRECT and rule.expect[p] == REDIRECT}
        assert refused, f"{rule.url_name} now changes something: remove it from KNOWN_REDIRECT_WITHOUT_CHANGE"
        outcomes.update({p: REDIRECT for p in refused})
    assert outcomes == rule.expect
    assert not unaudited, f"Viewing {rule.url_name} wrote no audit event for {', '.join(unaudited)}: list the page " \
                          "in casereview/audit/case_views.py"


def is_case_record_page(url: str) -> bool:
    match = resolve(url)
    if match.view_name in NOT_RECORD_CONTENT:
        return False
    return match.view_name in CASE_RECORD_PAGES or bool(CASE_RECORD_KWARGS & set(match.kwargs))


def test_every_case_record_page_named_in_the_audit_list_exists():
    names = service_url_names()
    stale = sorted(set(CASE_RECORD_PAGES) - names)
    assert not stale, f"casereview/audit/case_views.py names pages that do not exist: {', '.join(stale)}"
