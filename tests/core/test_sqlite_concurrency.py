import os
import subprocess
import sys


def test_concurrent_writers_never_see_database_is_locked(tmp_path):
    """The embedded default must queue writers (IMMEDIATE + busy timeout), not fail them."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(CASEREVIEW_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="casereview.settings")
    result = subprocess.run([sys.executable, "tests/core/sqlite_writers.py", "8", "60"], capture_output=True,
                            text=True, env=env, check=False, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    mode, written, failures, first_errors = result.stdout.strip().split(" ", 3)
    assert (int(written), int(failures)) == (480, 0), first_errors
    assert mode == "wal"
