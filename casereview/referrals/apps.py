from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "casereview.referrals"
    verbose_name = "Referrals, the decision matrix and the Chair's decision"

    def ready(self):
        from casereview.cases.selectors import register_restriction
        from casereview.core import dashboard, navigation
        from casereview.core.permissions import is_board_member

        from . import dashboard as panels
        from .selectors import hidden_draft_case_ids

        navigation.register("Referrals", "referrals:list", is_board_member, order=20, section="referrals")
        register_restriction(hidden_draft_case_ids)
        dashboard.register(panels.manager_panel, order=10)
        dashboard.register(panels.chair_panel, order=11)
        dashboard.register(panels.lead_panel, order=12)
