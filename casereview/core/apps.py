from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "casereview.core"
    verbose_name = "Core: pages, navigation and background tasks"

    def ready(self):
        from casereview.core import navigation
        from casereview.core.permissions import is_board_member

        navigation.register("Home", "home", is_board_member, order=0, section="")
        navigation.register("Cases", "cases:list", is_board_member, order=10, section="cases")
        # "Board" is the hub of the board's set-up: people, agencies, committees, timescales, the audit trail
        # and the email log are listed on its page, so the menu stays on one line.
        navigation.register("Board", "partnership:board", is_board_member, order=90, section="board",
                            also=("audit", "emails", "search"))
