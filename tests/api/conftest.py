import pytest
from django.test import Client

from casereview.api.services import api_token_create
from tests.api.two_factor import enrol_two_factor


@pytest.fixture
def api_client():
    """A client that calls the API with a fresh token of the given user (None: no token)."""

    def make(user):
        headers = {}
        if user is not None:
            _, key = api_token_create(by=user, user=enrol_two_factor(user), name="Test")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        client = Client(**headers)
        return client

    return make
