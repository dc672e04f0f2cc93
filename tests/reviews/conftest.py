import pytest


@pytest.fixture(autouse=True)
def _uploads_in_memory(settings):
    """Report files go to memory, not var/: tests leave nothing behind."""
    settings.STORAGES = {**settings.STORAGES,
                         "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
