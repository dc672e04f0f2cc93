"""The typology moved from the learning app to its own app without touching a table: a database holding themes,
their change log and the tags on findings before the move holds the same rows after it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from casereview.typology.models import Theme, ThemeChange
from tests.factories import BoardFactory

pytestmark = pytest.mark.django_db(transaction=True)

THEME_TABLES = ('"learning_theme"', '"learning_historicaltheme"', '"learning_themechange"', '_themes"')
BEFORE_THE_MOVE = [("learning", "0006_library_stored_tsvector"), ("referrals", "0002_routes_feedback_notified_panel_log"),
                   ("reviews", "0007_court_restriction_kind")]

THE_MOVE = [("typology", "0001_initial"), ("learning", "0007_theme_moves_to_typology")]


def _forward(executor: MigrationExecutor) -> list:
    return executor.migration_plan(executor.loader.graph.leaf_nodes())


def test_themes_and_their_tags_survive_the_move_and_no_table_is_rebuilt():
    board = BoardFactory()
    executor = MigrationExecutor(connection)
    executor.migrate([("typology", None)])  # back to before the move: the typology belongs to learning again
    try:
        old = executor.loader.project_state(BEFORE_THE_MOVE).apps
        OldTheme, OldChange = old.get_model("learning", "Theme"), old.get_model("learning", "ThemeChange")
        group = OldTheme.objects.create(board_id=board.pk, code="A", name="Practice")
        ten = OldTheme.objects.create(board_id=board.pk, code="A10", name="Hidden or unseen men", parent=group)
        two = OldTheme.objects.create(board_id=board.pk, code="A2", name="Multi-agency working", parent=group)
        OldChange.objects.create(board_id=board.pk, theme=ten, kind="added", description="Added A10")

        executor = MigrationExecutor(connection)
        plan = _forward(executor)
        assert {(m.app_label, m.name) for m, _ in plan} >= {("typology", "0001_initial"),
                                                            ("learning", "0007_theme_moves_to_typology")}
        with CaptureQueriesContext(connection) as queries:
            executor.migrate(THE_MOVE)
        # Only Django's record of where the models live changes: no theme or tag table is created, altered,
        # copied or dropped. (Later migrations that change the theme table on purpose, such as its edit
        # version, run in the `finally` below, outside this check.)
        schema = [q["sql"] for q in queries.captured_queries
                  if q["sql"].lstrip().upper().startswith(("CREATE", "ALTER", "DROP", "INSERT"))
                  and any(table in q["sql"] for table in THEME_TABLES)]
        assert schema == []
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert [t.code for t in Theme.objects.filter(board=board)] == ["A", "A2", "A10"]
    assert Theme.objects.get(pk=ten.pk).parent_id == group.pk and Theme.objects.get(pk=two.pk).name == \
        "Multi-agency working"
    assert ThemeChange.objects.get(board=board).theme_id == ten.pk
