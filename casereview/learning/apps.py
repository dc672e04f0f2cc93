from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "casereview.learning"
    verbose_name = "Learning summaries, library, recurring learning, forums and audits"

    def ready(self):
        from casereview.committees.agenda import register_source
        from casereview.core import dashboard, navigation
        from casereview.referrals.hooks import register_outcome_handler
        from casereview.reviews import hooks as review_hooks

        from . import hooks
        from .panels import learning_panel, learning_waiting
        from .permissions import can_use_library

        navigation.register("Learning", "learning:library", can_use_library, order=70, section="learning")
        dashboard.register(learning_panel, order=50)
        dashboard.register_waiting(learning_waiting, key="learning.summaries_and_questions")
        register_source(hooks.learning_summaries_waiting)
        # A finding saved in a review joins the library and is checked against earlier learning; a review
        # closes only once its learning summary is written.
        review_hooks.register_finding_saved(hooks.finding_saved)
        review_hooks.register_close_blocker(hooks.learning_summary_needed)
        # The SCR Committee routes a referral to a forum theme or an audit: learning opens it.
        register_outcome_handler("forum", hooks.forum_from_referral)
        register_outcome_handler("audit", hooks.audit_from_referral)
        register_outcome_handler("single_agency_audit", hooks.single_agency_audit_from_referral)
