"""More than one machine: REDIS_URL selects the shared queue and cache, a shared uploads folder is used, and the
nodes must share their keys (the service refuses to start otherwise)."""

import os
import subprocess
import sys

SHOW = ("import django; django.setup(); from django.conf import settings; "
        "from casereview.core.huey_app import huey; "
        "print(type(huey).__name__, settings.CACHES['default']['BACKEND'], "
        "settings.STORAGES['default']['OPTIONS']['location'])")


def _run(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "CASEREVIEW_FIELD_KEYS", "REDIS_URL")}
    env.update(DJANGO_SETTINGS_MODULE="casereview.settings", CASEREVIEW_VAR_DIR=str(tmp_path / "var"), **extra)
    return subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True, env=env, check=False)


def test_redis_and_shared_uploads_are_chosen_by_settings(tmp_path):
    result = _run(tmp_path, REDIS_URL="redis://127.0.0.1:6379/9", SECRET_KEY="k" * 64,
                  CASEREVIEW_FIELD_KEYS="Ir1jTBF7yUDYMNPpmpX38YO_Jmd6EDcWbWcfxcxOJ0c=",
                  CASEREVIEW_SHARED_UPLOADS=str(tmp_path / "shared"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["CaseReviewRedisHuey", "django.core.cache.backends.redis.RedisCache",
                                     str(tmp_path / "shared")]


def test_one_machine_keeps_its_queue_and_cache_in_var(tmp_path):
    result = _run(tmp_path)
    assert result.returncode == 0, result.stderr
    kind, cache, uploads = result.stdout.split()
    assert kind == "CaseReviewSqliteHuey" and cache.endswith("FileBasedCache")
    assert uploads == str(tmp_path / "var" / "uploads")


def test_several_machines_without_shared_keys_refuse_to_start(tmp_path):
    result = _run(tmp_path, REDIS_URL="redis://127.0.0.1:6379/9")
    assert result.returncode != 0
    assert "set SECRET_KEY and CASEREVIEW_FIELD_KEYS to the same values on every web node" in result.stderr
