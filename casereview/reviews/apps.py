from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "casereview.reviews"
    verbose_name = "Reviews: set-up, groups, findings, reports and publication"
