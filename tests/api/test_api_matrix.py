"""The API access matrix: every operation, called with a token of every persona (anonymous: no token)."""
from dataclasses import dataclass, field
from datetime import date

import pytest

from casereview.api.core import api
from tests.access_matrix import PERSONAS

from . import records

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


def expect(allowed: dict[str, int], others: int = 404) -> dict[str, int]:
    """`allowed` personas get their status, everyone else `others` (404: out of their scope, never revealed)."""
    return {**{p: others for p in PERSONAS}, **allowed, "anonymous": UNAUTHENTICATED}


BOARD_WIDE = {"business_manager": 200, "chair": 200}


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
    ApiRule("get", "/clocks", everyone()),
    # Referrals: the referrer (agency A's author) and board-wide roles; nobody else can see its case.
    ApiRule("get", "/referrals", everyone()),
    ApiRule("get", "/referrals/{referral_id}", expect({**BOARD_WIDE, "agency_a_author": 200}),
            params=lambda w: {"referral_id": records.referral(w).pk}),
    # Action plans: oversight roles and the agency whose outcomes and actions they are.
    ApiRule("get", "/actions/plans", everyone()),
    ApiRule("get", "/actions/plans/{plan_id}", expect({**BOARD_WIDE, "agency_a_author": 200}),
            params=lambda w: {"plan_id": records.plan(w).pk}),
    ApiRule("get", "/actions/actions", everyone()),
    ApiRule("get", "/actions/actions/{action_id}", expect({**BOARD_WIDE, "agency_a_author": 200}),
            params=lambda w: {"action_id": records.action(w).pk}),
    # Updates: the action's owner (agency A's author) and the Business Manager; the chair oversees but may not.
    ApiRule("post", "/actions/actions/{action_id}/updates",
            expect({"business_manager": 201, "chair": 403, "agency_a_author": 201}),
            params=lambda w: {"action_id": records.action(w).pk}, body=lambda w: records.UPDATE),
    # The merged chronology is for the review group; agency A's author sees the review but not the merged view.
    ApiRule("get", "/chronology/reviews/{review_id}/entries",
            expect({**BOARD_WIDE, "lead_reviewer": 200, "agency_a_author": 403}),
            params=lambda w: {"review_id": records.chronology_review(w).pk}),
    # Entries are written only by the agencies asked, into their own draft.
    ApiRule("post", "/chronology/reviews/{review_id}/entries",
            expect({"business_manager": 403, "chair": 403, "lead_reviewer": 403, "agency_a_author": 201}),
            params=lambda w: {"review_id": records.chronology_review(w).pk}, body=lambda w: records.ENTRY),
    ApiRule("get", "/learning/findings", everyone()),
]


def _review(world):
    from casereview.reviews.models import Review
    from tests.factories import review_in

    return Review.objects.filter(board=world.board, reference="API-1").first() or review_in(
        world, reference="API-1", initiated_on=date(2026, 9, 1), lead_reviewer=None)


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
