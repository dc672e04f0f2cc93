from django_tasks import task

from casereview.core.task_backend import HueyTaskBackend


@task()
def add_numbers(a: int, b: int) -> int:
    return a + b


def test_the_huey_backend_queues_the_task_and_the_worker_runs_it(tmp_path, monkeypatch):
    from casereview.core import huey_app

    monkeypatch.setattr(huey_app.huey, "immediate", True)
    backend = HueyTaskBackend("default", {})
    result = backend.enqueue(add_numbers, [2, 3], {})
    assert result.status == "READY"
    assert huey_app.run_django_task.call_local("tests.core.test_tasks.add_numbers", [2, 3], {}) == 5


def test_deferred_tasks_are_scheduled_not_run(monkeypatch, settings):
    settings.TASKS = {"default": {"BACKEND": "casereview.core.task_backend.HueyTaskBackend"}}
    from datetime import timedelta

    from django.utils import timezone

    from casereview.core import huey_app

    scheduled = []
    monkeypatch.setattr(huey_app.run_django_task, "schedule", lambda args, eta: scheduled.append((args, eta)))
    when = timezone.now() + timedelta(minutes=5)
    result = add_numbers.using(run_after=when).enqueue(1, 1)
    assert result.backend == "default"
    assert scheduled == [(("tests.core.test_tasks.add_numbers", [1, 1], {}), when)]
