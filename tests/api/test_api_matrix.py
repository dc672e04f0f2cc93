"""The API access matrix: every operation, called with a token of every persona (anonymous: no token)."""
from dataclasses import dataclass, field
from datetime import date

import pytest

from casereview.api.core import api
from tests.access_matrix import PERSONAS

UNAUTHENTICATED = 401


@dataclass(frozen=True)
class ApiRule:
    method: str
    path: str  # as in the OpenAPI document, e.g. /cases/{case_id}
    expect: dict[str, int]
    params: callable = field(default=lambda world: {})
    body: callable = field(default=lambda world: None)


def everyone(status: int = 200) -> dict[str, int]:
    return {**{p: status for p in PERSONAS}, "anonymous": UNAUTHENTICATED}


API_RULES = [
    ApiRule("get", "/me", everyone()),
    ApiRule("get", "/cases", everyone()),
    ApiRule("get", "/cases/{case_id}", {
        "business_manager": 200, "chair": 200, "agency_a_author": 200, "agency_b_author": 404,
        "lead_reviewer": 200, "practitioner": 404, "other_board_user": 404, "anonymous": UNAUTHENTICATED,
    }, params=lambda w: {"case_id": w.case.pk}),
    ApiRule("get", "/reviews", everyone()),
    *[ApiRule("get", path, {
        "business_manager": 200, "chair": 200, "agency_a_author": 200, "agency_b_author": 404,
        "lead_reviewer": 200, "practitioner": 404, "other_board_user": 404, "anonymous": UNAUTHENTICATED,
    }, params=lambda w: {"review_id": _review(w).pk})
      for path in ("/reviews/{review_id}", "/reviews/{review_id}/findings", "/reviews/{review_id}/recommendations")],
    ApiRule("get", "/clocks/deadline", everyone(),
            params=lambda w: {"?": {"pack": "lscb-2015", "clock": "scr-decision", "start": "2026-01-31"}}),
]


def _review(world):
    from casereview.reviews.models import Review

    return Review.objects.get_or_create(board=world.board, reference="API-1", defaults={
        "case": world.case, "title": "Child Q", "type": "cir", "initiated_on": date(2026, 9, 1)})[0]


def documented_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="")
    return {(method, path) for path, ops in schema["paths"].items() for method in ops}


def test_every_api_operation_has_an_access_rule():
    covered = {(rule.method, rule.path) for rule in API_RULES}
    assert documented_operations() - covered == set()


@pytest.mark.parametrize("rule", API_RULES, ids=lambda r: f"{r.method.upper()} {r.path}")
def test_api_access(rule: ApiRule, world, api_client):
    params = rule.params(world)
    query = params.pop("?", {})
    path = "/api/v1" + rule.path.format(**params)
    outcomes = {}
    for persona in PERSONAS:
        client = api_client(world.personas()[persona])
        if rule.method == "get":
            response = client.get(path, query)
        else:
            response = getattr(client, rule.method)(path, rule.body(world), content_type="application/json")
        outcomes[persona] = response.status_code
    assert outcomes == rule.expect
