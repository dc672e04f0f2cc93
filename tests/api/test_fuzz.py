"""Schemathesis fuzzes every API operation against the running server, from the OpenAPI document.

Checks: no server errors, and every response matches its documented status code, content type and schema;
requests that break the schema are refused, and requests that keep to it are accepted - or refused with a
422 naming the field, when they break a rule of the service the schema cannot express (an unknown agency
code, red without a narrative, a date that does not exist).
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import negative_data_rejection

from casereview.api.core import api
from casereview.api.services import api_token_create
from tests.api.two_factor import enrol_two_factor

from . import records

pytestmark = pytest.mark.django_db(transaction=True)

ACCEPTED = ["2xx", "401", "403", "404", "409", "422", "429", "5xx"]  # server errors: ST101


# The document the server publishes at /api/v1/openapi.json (test_api.py checks that it is served). It is
# loaded here, not from the live server, because schemathesis's lazy loading does not work with pytest 9.
schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(path_prefix=""),
    config=SchemathesisConfig.from_dict({
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
        # Every call carries the fuzzing token (below); calls without one are covered by test_api_matrix.py.
        "generation": {"with-security-parameters": False},
    }),
)


@schemathesis.check
def schema_violations_rejected(ctx, response, case):
    """Schemathesis's negative_data_rejection, except for requests with query parameters the operation does not
    define: the API ignores those, like every page of the service (docs/api.md says so)."""
    declared = case.operation.get_parameter_set(ParameterLocation.QUERY)
    if any(name not in declared for name in case.query or {}):
        return None
    return negative_data_rejection(ctx, response, case)


@pytest.fixture(params=["manager", "author_a"])
def token(request, world):
    """The Business Manager reads everything; agency A's author writes chronology entries and action updates."""
    # Records for the fuzzed ids to find: a received referral, a monitored plan, a review asking for a chronology.
    records.referral(world)
    records.action(world)
    records.chronology_review(world)
    user = getattr(world, request.param)
    return api_token_create(by=user, user=enrol_two_factor(user), name="Fuzzing")[1]


@schema.parametrize()
# derandomize: the same examples every run, so a failure is reproducible and a pass means the same each time.
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_api_survives_fuzzing_and_keeps_its_contract(case, token, live_server):
    case.call_and_validate(base_url=f"{live_server.url}/api/v1", headers={"Authorization": f"Bearer {token}"},
                           excluded_checks=[negative_data_rejection])
