from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "casereview.reviews"
    verbose_name = "Reviews: set-up, groups, findings, reports and publication"

    def ready(self):
        from casereview.core import dashboard, navigation, search
        from casereview.core.permissions import is_board_member
        from casereview.deadlines.registry import register_source

        from . import waiting
        from .deadlines import review_deadlines, review_search
        from .panels import consultation_panel, reviews_panel

        navigation.register("Reviews", "reviews:list", is_board_member, order=30, section="reviews")
        dashboard.register(reviews_panel, order=30)
        dashboard.register(consultation_panel, order=31)
        register_source("reviews", review_deadlines)
        search.register("reviews", review_search)
        dashboard.register_waiting(waiting.quality_assurance_waiting, key="reviews.quality_assurance")
        dashboard.register_waiting(waiting.board_approval_waiting, key="reviews.board_approval")
        dashboard.register_waiting(waiting.consultation_waiting, key="reviews.consultation")
