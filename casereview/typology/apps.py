from django.apps import AppConfig


class TypologyConfig(AppConfig):
    name = "casereview.typology"
    verbose_name = "Learning typology"

    def ready(self):
        from casereview.partnership import setup

        from .services import typology_seed_default

        # A new board starts with the default typology (board_create, through casereview.partnership.setup).
        setup.register_new_board_step("typology", lambda board, by: typology_seed_default(board, by=by))
