from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "casereview.learning"
    verbose_name = "Learning summaries, typology, library, forums and audits"

    def ready(self):
        from casereview.core import dashboard, navigation

        from . import signals  # noqa: F401 - connects the library's index to findings and reviews
        from .panels import learning_panel
        from .permissions import can_use_library
        from .review_hooks import register as register_review_hooks

        navigation.register("Learning", "learning:library", can_use_library, order=70, section="learning")
        dashboard.register(learning_panel, order=50)
        register_review_hooks()
        # A new board starts with the default typology (casereview.partnership.setup, used by board_create).
        from casereview.partnership import setup

        from .services import typology_seed_default
        setup.register_new_board_step("typology", lambda board, by: typology_seed_default(board, by=by))
