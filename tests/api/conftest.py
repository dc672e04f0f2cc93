import pytest
from django.test import Client

from casereview.api.services import api_token_create


@pytest.fixture
def api_client():
    """A client that calls the API with a fresh token of the given user (None: no token)."""

    def make(user):
        headers = {}
        if user is not None:
            _, key = api_token_create(by=user, user=user, name="Test")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        client = Client(**headers)
        return client

    return make
