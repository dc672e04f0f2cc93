from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "casereview.core"
    verbose_name = "Core: pages, navigation and background tasks"

    def ready(self):
        from casereview.core import navigation
        from casereview.core.permissions import can_manage_board, can_read_audit, is_board_member

        navigation.register("Home", "home", is_board_member, order=0, section="")
        navigation.register("Cases", "cases:list", is_board_member, order=10, section="cases")
        navigation.register("Board", "partnership:board", is_board_member, order=80, section="board")
        navigation.register("Audit trail", "audit:list", can_read_audit, order=90, section="audit")
        navigation.register("Emails", "notifications:log", can_manage_board, order=95, section="emails")
