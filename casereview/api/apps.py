from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "casereview.api"
    verbose_name = "REST API v1 and its tokens"

    def ready(self):
        from . import endpoints, endpoints_reviews  # noqa: F401 - registers the API operations on `api`
