from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "casereview.chronology"
    verbose_name = "Multi-agency chronologies of significant practice events"

    def ready(self):
        from casereview.core import dashboard, navigation
        from casereview.deadlines.registry import register_source

        from .deadlines import chronology_deadlines
        from .panels import chronology_panel
        from .permissions import can_use_chronologies
        from .review_hooks import register as register_review_hooks

        navigation.register("Chronologies", "chronology:index", can_use_chronologies, order=45, section="chronology")
        dashboard.register(chronology_panel, order=45)
        register_review_hooks()
        register_source("chronology", chronology_deadlines)
