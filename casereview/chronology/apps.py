from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "casereview.chronology"
    verbose_name = "Multi-agency chronologies of significant practice events"

    def ready(self):
        from casereview.core import dashboard, navigation
        from casereview.deadlines.registry import register_source
        from casereview.referrals.hooks import register_review_opened

        from .deadlines import chronology_deadlines
        from .panels import chronology_panel
        from .permissions import can_use_chronologies
        from .referral_stage import carry_into_review, referral_requests_waiting
        from .review_hooks import register as register_review_hooks

        navigation.register("Chronologies", "chronology:index", can_use_chronologies, order=45, section="chronology")
        dashboard.register(chronology_panel, order=45)
        register_review_hooks()
        # Chronologies asked for at referral stage: on the agency's home page, and into the review it becomes.
        dashboard.register_waiting(referral_requests_waiting, key="chronology.referral_stage")
        register_review_opened("chronology", carry_into_review)
        register_source("chronology", chronology_deadlines)
