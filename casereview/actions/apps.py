from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "casereview.actions"
    verbose_name = "Action plans, progress and impact"

    def ready(self):
        from casereview.core import dashboard, navigation
        from casereview.deadlines.registry import register_source

        from . import dashboard as panels
        from .deadlines import update_deadlines
        from .permissions import can_use_plans
        from .review_hooks import register as register_review_hooks

        navigation.register("Action plans", "actions:plan_list", can_use_plans, order=60, section="actions")
        dashboard.register(panels.owner_panel, order=40)
        dashboard.register(panels.approval_panel, order=41)
        dashboard.register(panels.performance_panel, order=42)
        register_review_hooks()
        register_source("actions", update_deadlines)
        # The home page's "Waiting for you" list.
        dashboard.register_waiting(panels.plans_to_approve_waiting, key="actions.plan_approval")
        dashboard.register_waiting(panels.updates_due_waiting, key="actions.update_due")
