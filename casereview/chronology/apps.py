from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "casereview.chronology"
    verbose_name = "Multi-agency chronologies of significant practice events"
