"""Schemathesis fuzzes every API operation against the running server, from the OpenAPI document.

Checks: no server errors, and every response matches its documented status code, content type and schema.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from casereview.api.services import api_token_create

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def api_schema(live_server, world):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    return schema


@pytest.fixture
def token(world):
    return api_token_create(by=world.manager, user=world.manager, name="Fuzzing")[1]


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_survives_fuzzing_and_keeps_its_contract(case, token, live_server):
    case.call_and_validate(base_url=f"{live_server.url}/api/v1", headers={"Authorization": f"Bearer {token}"})
