from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "casereview.actions"
    verbose_name = "Action plans, progress and impact"
