from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "casereview.reviews"
    verbose_name = "Reviews: set-up, groups, findings, reports and publication"

    def ready(self):
        from casereview.core import dashboard, navigation
        from casereview.core.permissions import is_board_member

        from .panels import consultation_panel, reviews_panel

        navigation.register("Reviews", "reviews:list", is_board_member, order=30, section="reviews")
        dashboard.register(reviews_panel, order=30)
        dashboard.register(consultation_panel, order=31)
