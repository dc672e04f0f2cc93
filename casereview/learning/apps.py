from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "casereview.learning"
    verbose_name = "Learning summaries, library, recurring learning, forums and audits"

    def ready(self):
        from casereview.committees.agenda import register_source
        from casereview.core import dashboard, navigation

        from .hooks import learning_summaries_waiting
        from .panels import learning_panel
        from .permissions import can_use_library

        navigation.register("Learning", "learning:library", can_use_library, order=70, section="learning")
        dashboard.register(learning_panel, order=50)
        register_source(learning_summaries_waiting)
