from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "casereview.deadlines"
    verbose_name = "Rule packs, clocks and reminders"

    def ready(self):
        from casereview.core import navigation
        from casereview.core.permissions import has_board_wide_case_role, is_board_member

        # Board-wide roles get every clock of the board; everyone else the calculator.
        navigation.register("Deadlines", "deadlines:list", has_board_wide_case_role, order=80, section="deadlines")
        navigation.register("Deadline calculator", "deadlines:calculator",
                            lambda user: is_board_member(user) and not has_board_wide_case_role(user),
                            order=80, section="deadlines")
