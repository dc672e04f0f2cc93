from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "casereview.referrals"
    verbose_name = "Referrals, the decision matrix and the Chair's decision"

    def ready(self):
        from casereview.cases.hooks import register_restriction
        from casereview.core import dashboard, navigation, search
        from casereview.core.permissions import is_board_member
        from casereview.deadlines.registry import register_source

        from . import dashboard as panels
        from . import waiting
        from .deadlines import referral_deadlines
        from .search import referral_search
        from .selectors import hidden_draft_case_ids

        navigation.register("Referrals", "referrals:list", is_board_member, order=20, section="referrals")
        # Cases sit below referrals, so they cannot ask which cases hide behind a draft: referrals tell them.
        register_restriction(hidden_draft_case_ids)
        register_source("referrals", referral_deadlines)
        search.register("referrals", referral_search)
        dashboard.register(panels.manager_panel, order=10)
        dashboard.register(panels.scr_committee_panel, order=11)
        dashboard.register(panels.chair_panel, order=12)
        dashboard.register(panels.lead_panel, order=13)
        dashboard.register_waiting(waiting.matrix_waiting, key="referrals.decision_matrix")
        dashboard.register_waiting(waiting.decision_waiting, key="referrals.chair_decision")
        dashboard.register_waiting(waiting.agency_lead_waiting, key="referrals.agency_lead")
        dashboard.register_waiting(waiting.threshold_waiting, key="referrals.threshold_liaison")
