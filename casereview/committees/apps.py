from django.apps import AppConfig


class CommitteesConfig(AppConfig):
    name = "casereview.committees"
    verbose_name = "Committee meetings, agendas and quorum"

    def ready(self):
        from casereview.core import dashboard, navigation
        from casereview.referrals.hooks import register_recommendation_check

        from . import sources
        from .agenda import register_source
        from .dashboard import meetings_panel, minutes_to_approve_waiting
        from .permissions import can_use_committees
        from .selectors import recommendation_minuted_at_quorate_meeting

        navigation.register("Committees", "committees:meeting_list", can_use_committees, order=65,
                            section="committees")
        dashboard.register(meetings_panel, order=45)
        # The home page's "Waiting for you" list.
        dashboard.register_waiting(minutes_to_approve_waiting, key="committees.minutes_to_approve")
        for source in (sources.minutes_of_the_last_meeting, sources.completed_reviews,
                       sources.referrals_awaiting_consideration, sources.plans_awaiting_approval,
                       sources.exception_report, sources.completed_actions_to_evaluate):
            register_source(source)
        # The SCR Committee's recommendation on a referral rests on a decision of a quorate meeting.
        register_recommendation_check(recommendation_minuted_at_quorate_meeting)
