from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "casereview.deadlines"
    verbose_name = "Rule packs, clocks and reminders"

    def ready(self):
        from casereview.core import navigation
        from casereview.core.permissions import is_board_member

        navigation.register("Deadlines", "deadlines:calculator", is_board_member, order=80, section="deadlines")
