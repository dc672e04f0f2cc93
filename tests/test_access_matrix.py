import importlib
import pkgutil

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import tests
from tests.access_matrix import PERSONAS, Rule

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


def test_every_service_url_has_an_access_rule():
    covered = {rule.url_name for rule in RULES}
    missing = sorted(service_url_names() - covered)
    assert not missing, f"Add access rules (tests/<app>/access.py) for: {', '.join(missing)}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.method.upper()} {r.url_name}")
def test_access(rule: Rule, world, as_user):
    outcomes = {}
    for persona in PERSONAS:
        extra = rule.setup(world) if rule.setup else {}
        url = reverse(rule.url_name, kwargs={**rule.kwargs(world), **extra})
        client = as_user(world.personas()[persona])
        response = getattr(client, rule.method)(url, rule.data(world))
        outcomes[persona] = response.status_code
    assert outcomes == rule.expect
