"""The command contract used by acceptance checks: one line YYYY-MM-DD, or a clear error and exit status 2."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def run(*args):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casereview.settings"}
    return subprocess.run([sys.executable, "manage.py", "deadline", *args], cwd=ROOT, env=env,  # noqa: S603
                          capture_output=True, text=True, timeout=60)


def test_the_command_prints_one_line_and_exits_0():
    done = run("--pack", "lscb-2015", "--clock", "scr-decision", "--from", "2024-01-31")
    assert done.returncode == 0
    assert done.stdout == "2024-02-29\n"


def test_an_unknown_clock_exits_2_naming_the_valid_clocks():
    done = run("--pack", "wt-2018", "--clock", "scr-decision", "--from", "2026-01-05")
    assert done.returncode == 2 and done.stdout == ""
    assert "incident-notification, rapid-review, practice-review-publication, prepublication-copy" in done.stderr


@pytest.mark.parametrize(("pack", "clock", "start", "due"), [
    ("lscb-2015", "scr-decision", "2026-01-31", "2026-02-28"),
    ("lscb-2015", "scr-decision", "2024-01-31", "2024-02-29"),
    ("lscb-2015", "panel-notice", "2026-12-25", "2027-01-08"),
    ("lscb-2015", "scr-completion", "2026-08-31", "2027-02-28"),
    ("lscb-2015", "prepublication-copy", "2026-03-05", "2026-02-26"),
    # 5 working days after Thursday 2 April 2026: Good Friday and Easter Monday are skipped.
    ("wt-2018", "incident-notification", "2026-04-02", "2026-04-13"),
    # Christmas 2026: Boxing Day falls on a Saturday, so Monday 28 December is the substitute day.
    ("wt-2018", "rapid-review", "2026-12-18", "2027-01-13"),
    ("wt-2018", "practice-review-publication", "2026-08-31", "2027-02-28"),
    # 7 working days before Monday 4 January 2027, skipping New Year's Day, Christmas, the Boxing Day
    # substitute (Monday 28 December) and weekends.
    ("wt-2018", "prepublication-copy", "2027-01-04", "2026-12-21"),
    # A Saturday start: the first working day after it is Monday.
    ("wt-2018", "incident-notification", "2026-03-07", "2026-03-13"),
])
def test_due_dates(pack, clock, start, due, capsys):
    call_command("deadline", pack=pack, clock=clock, start=start)
    assert capsys.readouterr().out == f"{due}\n"


@pytest.mark.parametrize(("args", "message"), [
    ({"pack": "lscb-2099", "clock": "scr-decision", "start": "2026-01-01"},
     "Unknown rule pack 'lscb-2099'. Valid packs: lscb-2015, wt-2018"),
    ({"pack": "lscb-2015", "clock": "rapid-review", "start": "2026-01-01"},
     "Valid clocks for lscb-2015: scr-decision, panel-notice, scr-completion, prepublication-copy"),
    ({"pack": "lscb-2015", "clock": "scr-decision", "start": "2026-02-30"}, "give --from as YYYY-MM-DD"),
    ({"pack": "lscb-2015", "clock": "scr-decision", "start": "31/01/2026"}, "give --from as YYYY-MM-DD"),
    ({"pack": "lscb-2015", "clock": "scr-decision", "start": "2026-1-5"}, "give --from as YYYY-MM-DD"),
])
def test_bad_input_exits_2_with_a_clear_error(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        call_command("deadline", **args)
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == "" and message in captured.err


@pytest.mark.django_db
def test_a_board_can_add_its_own_closure_days(world, capsys):
    from casereview.partnership.models import ClosureDay

    ClosureDay.objects.create(board=world.board, date="2026-03-09", reason="Board training day")
    call_command("deadline", pack="wt-2018", clock="incident-notification", start="2026-03-06",
                 board=world.board.slug)
    assert capsys.readouterr().out == "2026-03-16\n"
