from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "casereview.deadlines"
    verbose_name = "Rule packs, clocks and reminders"
