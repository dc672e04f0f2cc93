"""The typology moved from the learning app to its own app without touching a table: a database holding themes,
their change log and the tags on findings before the move holds the same rows after it.

The check runs on a database of its own migrated forward to just before the move:
taking the shared test database back to before the move would undo, and then redo, every later migration of
every app, which takes minutes."""

import pytest
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

THEME_TABLES = ('"learning_theme"', '"learning_historicaltheme"', '"learning_themechange"', '_themes"')
BEFORE_THE_MOVE = [("learning", "0006_library_stored_tsvector"), ("referrals", "0002_routes_feedback_notified_panel_log"),
                   ("reviews", "0007_court_restriction_kind")]

THE_MOVE = [("typology", "0001_initial"), ("learning", "0007_theme_moves_to_typology")]


@pytest.fixture
def before_the_move(tmp_path, django_db_blocker):
    """A connection to a new database (a SQLite file, or a PostgreSQL database made for the test and dropped after
    it) migrated to just before the move. The shared test database is not used."""
    alias = "before_the_move"
    default = connections["default"]
    name = str(tmp_path / "move.sqlite3") if default.vendor == "sqlite" else f"{default.settings_dict['NAME']}_move"
    with django_db_blocker.unblock():
        if default.vendor == "postgresql":
            with default.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
                cursor.execute(f'CREATE DATABASE "{name}"')
        connections.settings[alias] = {**connections.settings["default"], "NAME": name, "TEST": {}}
        connection = connections[alias]
        try:
            MigrationExecutor(connection).migrate(BEFORE_THE_MOVE)
            yield connection
        finally:
            connection.close()
            del connections[alias]
            del connections.settings[alias]
            if default.vendor == "postgresql":
                with default.cursor() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_themes_and_their_tags_survive_the_move_and_no_table_is_rebuilt(before_the_move):
    connection = before_the_move
    old = MigrationExecutor(connection).loader.project_state(BEFORE_THE_MOVE).apps
    OldBoard = old.get_model("partnership", "Board")
    OldTheme, OldChange = old.get_model("learning", "Theme"), old.get_model("learning", "ThemeChange")
    board = OldBoard.objects.using(connection.alias).create(name="Movington Safeguarding Children Board",
                                                            slug="movington")
    themes = OldTheme.objects.using(connection.alias)
    group = themes.create(board_id=board.pk, code="A", name="Practice")
    ten = themes.create(board_id=board.pk, code="A10", name="Hidden or unseen men", parent=group)
    two = themes.create(board_id=board.pk, code="A2", name="Multi-agency working", parent=group)
    OldChange.objects.using(connection.alias).create(board_id=board.pk, theme=ten, kind="added",
                                                     description="Added A10")

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(THE_MOVE)
    assert {(m.app_label, m.name) for m, _ in plan} >= set(THE_MOVE)
    with CaptureQueriesContext(connection) as queries:
        executor.migrate(THE_MOVE)
    # Only Django's record of where the models live changes: no theme or tag table is created, altered, copied
    # or dropped.
    schema = [q["sql"] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(("CREATE", "ALTER", "DROP", "INSERT"))
              and any(table in q["sql"] for table in THEME_TABLES)]
    assert schema == []

    moved = MigrationExecutor(connection).loader.project_state(THE_MOVE).apps
    Theme, ThemeChange = moved.get_model("typology", "Theme"), moved.get_model("typology", "ThemeChange")
    assert list(Theme.objects.using(connection.alias).filter(board_id=board.pk).order_by("code")
                .values_list("code", flat=True)) == ["A", "A10", "A2"]
    assert Theme.objects.using(connection.alias).get(pk=ten.pk).parent_id == group.pk
    assert Theme.objects.using(connection.alias).get(pk=two.pk).name == "Multi-agency working"
    assert ThemeChange.objects.using(connection.alias).get(board_id=board.pk).theme_id == ten.pk
