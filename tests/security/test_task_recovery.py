"""More than one machine: a periodic job runs once however many workers run; a task whose worker dies mid-task
is put back on the queue, and after TASK_MAX_ATTEMPTS is recorded as failed, never silently lost."""

import json
import time
from datetime import datetime

import pytest

from casereview.core import huey_app
from casereview.core.huey_app import HEARTBEAT, RUNNING, huey, sweep_abandoned_tasks


@pytest.fixture
def queue():
    huey.storage.flush_all()
    yield huey
    huey.storage.flush_all()


def _running(run_id: str, worker: str, attempt: int = 1, started: float | None = None):
    huey.storage.put_data(f"{RUNNING}{run_id}", json.dumps({
        "task": "casereview.notifications.tasks.send_email", "args": [7], "kwargs": {}, "attempt": attempt,
        "worker": worker, "started": started or time.time()}).encode())


def test_the_task_of_a_worker_that_stopped_is_put_back_on_the_queue(queue, settings):
    settings.TASK_HEARTBEAT_SECONDS = 15
    now = time.time()
    huey.storage.put_data(f"{HEARTBEAT}dead:1", str(now - 300).encode())
    huey.storage.put_data(f"{HEARTBEAT}alive:2", str(now - 5).encode())
    _running("a", "dead:1", started=now - 310)
    _running("b", "alive:2", started=now - 310)
    assert sweep_abandoned_tasks(now) == {"requeued": 1, "failed": 0}
    assert queue.pending_count() == 1
    requeued = queue.pending()[0]
    assert requeued.args[0] == "casereview.notifications.tasks.send_email" and requeued.args[3] == 2  # attempt 2
    assert not queue.storage.has_data_for_key(f"{RUNNING}a")
    assert queue.storage.has_data_for_key(f"{RUNNING}b")  # its worker is alive: left alone


def test_after_the_last_attempt_the_task_is_recorded_as_failed(queue, settings):
    settings.TASK_MAX_ATTEMPTS = 3
    now = time.time()
    _running("c", "gone:3", attempt=3, started=now - 600)
    assert sweep_abandoned_tasks(now) == {"requeued": 0, "failed": 1}
    assert queue.pending_count() == 0
    failed = huey_app.failed_tasks()
    assert failed[0]["task"].endswith("send_email") and failed[0]["reason"] == "worker stopped mid-task"


def test_a_finished_task_leaves_no_running_record(queue, world):
    huey_app.run_django_task.call_local("casereview.notifications.tasks.send_email", [999_999], {})
    assert not [k for k in queue.storage.result_items() if (k.decode() if isinstance(k, bytes) else k)
                .startswith(RUNNING)]


def test_a_periodic_job_is_claimed_by_one_worker_only(queue):
    job = huey_app.worker_heartbeat.task_class()
    minute = datetime(2026, 11, 30, 7, 0)
    assert job.validate_datetime(minute) is True
    assert job.validate_datetime(minute) is False  # a second worker asking for the same minute
    assert job.validate_datetime(datetime(2026, 11, 30, 7, 1)) is True
