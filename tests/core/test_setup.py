"""The set-up contract: the demo loads twice without change, and production settings pass Django's checks."""

import os
import subprocess
import sys

from django.core.management import call_command

from casereview.partnership.models import Agency, Board, Committee, User

DEMO_AGENCIES = {"Children's Social Care", "Police", "GP Practice", "Health Visiting", "Midwifery",
                 "Emergency Department", "School", "Housing", "Probation", "Ambulance Service"}
DEMO_LOGINS = {"manager", "chair", "dcs", "scr-chair", "perf-chair", "reviewer", "police-lead", "csc-author",
               "practitioner", "csc-lead", "gp-lead", "hv-lead", "midwifery-lead", "ed-lead", "school-lead",
               "housing-lead", "probation-lead", "ambulance-lead"}


def _snapshot():
    return {model.__name__: model.objects.count() for model in (Board, Agency, Committee, User)}


def test_load_demo_creates_the_fictional_board_and_is_idempotent(db):
    call_command("load_demo")
    first = _snapshot()
    call_command("load_demo")
    assert _snapshot() == first
    board = Board.objects.get(name="Riverside Safeguarding Children Board")
    assert set(board.agencies.values_list("name", flat=True)) == DEMO_AGENCIES
    assert DEMO_LOGINS <= set(User.objects.values_list("username", flat=True))
    assert all(u.check_password("demo") and u.is_demo_account for u in User.objects.filter(username__in=DEMO_LOGINS))
    from casereview.partnership.roles import Role

    led = set(User.objects.filter(board=board, role_grants__role=Role.AGENCY_LEAD).values_list("agency__name",
                                                                                               flat=True))
    assert led == DEMO_AGENCIES, "every demo agency has a safeguarding lead"
    readme = open("README.md", encoding="utf-8").read()
    assert all(f"`{login}`" in readme for login in DEMO_LOGINS), "the README lists every demo sign-in"
    performance = board.committees.get(kind=Committee.Kind.PERFORMANCE)
    assert performance.meeting_frequency_days == 42
    assert performance.quorum_requires_chair and performance.quorum_agency_representatives == 3


def test_production_settings_pass_the_deployment_checks():
    env = {**os.environ, "SECRET_KEY": "x" * 64 + "-a-long-random-production-key", "ALLOWED_HOSTS": "casereview.example",
           "CASEREVIEW_HTTPS": "1", "DEBUG": "0", "DJANGO_SETTINGS_MODULE": "casereview.settings",
           "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    for key in ("CASEREVIEW_DEMO_MODE", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(key, None)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_key_an_installation_makes_its_own_and_keeps_it(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "CASEREVIEW_DEMO_MODE")}
    env.update(DJANGO_SETTINGS_MODULE="casereview.settings", CASEREVIEW_VAR_DIR=str(tmp_path))
    show = [sys.executable, "-c", "import django; django.setup(); from django.conf import settings; "
                                  "print(settings.SECRET_KEY)"]
    first = subprocess.run(show, capture_output=True, text=True, env=env, check=True).stdout.strip()
    second = subprocess.run(show, capture_output=True, text=True, env=env, check=True).stdout.strip()
    assert len(first) >= 64 and first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
