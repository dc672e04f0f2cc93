from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "casereview.api"
    verbose_name = "REST API v1 and its tokens"

    def ready(self):
        from . import (  # noqa: F401 - registers the API operations on `api`
            endpoints,
            endpoints_actions,
            endpoints_chronology,
            endpoints_learning,
            endpoints_referrals,
            endpoints_reviews,
        )
