"""The huey instance that runs django-tasks in the worker (`python manage.py run_worker`).

Application code never imports this: it enqueues through the django-tasks API (`task.enqueue(...)`), and
HueyTaskBackend hands the task's import path and arguments to `run_django_task` here.

One machine: the queue is a SQLite file in var/. Several machines: with REDIS_URL set, every web node and worker
shares one Redis queue. Either way:
- each periodic job runs once per schedule however many workers run (the first worker to claim it wins);
- a task whose worker dies mid-task (killed, machine lost) is not silently lost: every running task is recorded
  with its worker, each worker process keeps a heartbeat, and a sweeper puts the tasks of a silent worker back
  on the queue, up to TASK_MAX_ATTEMPTS times, then records them as failed (logged as an error).
"""

import json
import logging
import os
import socket
import threading
import time
import uuid

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from huey import RedisHuey, SqliteHuey, crontab

logger = logging.getLogger("casereview.tasks")

RUNNING = "running:"  # running:<run id> -> the task, its worker and attempt
HEARTBEAT = "worker:"  # worker:<worker id> -> last beat (epoch seconds)
FAILED = "failed:"  # failed:<run id> -> a task given up after TASK_MAX_ATTEMPTS
CLAIM = "periodic:"  # periodic:<job>:<minute> -> claimed by one worker
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


class OncePerSchedule:
    """Mixin: a periodic job is enqueued by only the first worker that claims its minute."""

    def periodic_task(self, validate_datetime, *args, **kwargs):
        name = kwargs.get("name")

        def decorator(func):
            job = name or f"{func.__module__}.{func.__name__}"

            def due_and_claimed(timestamp):
                if not validate_datetime(timestamp):
                    return False
                return self.storage.put_if_empty(f"{CLAIM}{job}:{timestamp:%Y%m%d%H%M}", b"1")

            return super(OncePerSchedule, self).periodic_task(due_and_claimed, *args, **kwargs)(func)

        return decorator


class CaseReviewSqliteHuey(OncePerSchedule, SqliteHuey):
    pass


class CaseReviewRedisHuey(OncePerSchedule, RedisHuey):
    pass


def make_huey():
    if settings.REDIS_URL:
        return CaseReviewRedisHuey("casereview", url=settings.REDIS_URL)
    settings.HUEY_PATH.parent.mkdir(parents=True, exist_ok=True)
    return CaseReviewSqliteHuey("casereview", filename=str(settings.HUEY_PATH), timeout=30)


huey = make_huey()


def _put(key: str, value: dict) -> None:
    huey.storage.put_data(key, json.dumps(value).encode())


def _read(raw) -> dict:
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return {}


_beating = threading.Event()


def _ensure_heartbeat() -> None:
    """Each worker process beats every HEARTBEAT_SECONDS from its first task on."""
    if _beating.is_set():
        return
    _beating.set()

    def beat():
        while True:
            try:
                huey.storage.put_data(f"{HEARTBEAT}{WORKER_ID}", str(time.time()).encode())
            except Exception:  # noqa: BLE001 - a missed beat is retried; the sweeper tolerates a few
                logger.warning("heartbeat failed", extra={"worker": WORKER_ID})
            time.sleep(settings.TASK_HEARTBEAT_SECONDS)

    threading.Thread(target=beat, name="casereview-heartbeat", daemon=True).start()


@huey.task(retries=3, retry_delay=60)
def run_django_task(module_path: str, args: list, kwargs: dict, attempt: int = 1, run_id: str = ""):
    _ensure_heartbeat()
    run_id = run_id or uuid.uuid4().hex
    key = f"{RUNNING}{run_id}"
    _put(key, {"task": module_path, "args": args, "kwargs": kwargs, "attempt": attempt, "worker": WORKER_ID,
               "started": time.time()})
    try:
        return import_string(module_path).call(*args, **kwargs)
    finally:
        huey.storage.delete_data(key)


def enqueue(module_path: str, args: list, kwargs: dict, *, eta=None, attempt: int = 1):
    payload = (module_path, args, kwargs) if attempt == 1 else (module_path, args, kwargs, attempt)
    if eta is not None:
        return run_django_task.schedule(args=payload, eta=eta)
    return run_django_task(*payload)


def sweep_abandoned_tasks(now: float | None = None) -> dict:
    """Requeue the tasks of workers that stopped beating; give up (and record it) after TASK_MAX_ATTEMPTS."""
    now = now or time.time()
    items = {(k.decode() if isinstance(k, bytes) else k): v for k, v in huey.storage.result_items().items()}
    stale_after = settings.TASK_HEARTBEAT_SECONDS * 4
    requeued, failed = 0, 0
    for key, raw in items.items():
        if key.startswith(CLAIM) and key.rsplit(":", 1)[-1] < time.strftime("%Y%m%d%H%M", time.gmtime(now - 2 * 86400)):
            huey.storage.delete_data(key)  # old periodic claims
            continue
        if not key.startswith(RUNNING):
            continue
        run = _read(raw)
        beat = items.get(f"{HEARTBEAT}{run.get('worker')}")
        last_beat = float(beat) if beat is not None else float(run.get("started", 0))
        if now - last_beat < stale_after:
            continue
        huey.storage.delete_data(key)
        if run.get("attempt", 1) >= settings.TASK_MAX_ATTEMPTS:
            _put(f"{FAILED}{key[len(RUNNING):]}", {**run, "failed": now, "reason": "worker stopped mid-task"})
            logger.error("task failed: its worker stopped mid-task too often",
                         extra={"task": run.get("task"), "attempt": run.get("attempt")})
            failed += 1
        else:
            enqueue(run["task"], run.get("args", []), run.get("kwargs", {}), attempt=run.get("attempt", 1) + 1)
            logger.warning("task requeued: its worker stopped mid-task",
                           extra={"task": run.get("task"), "attempt": run.get("attempt")})
            requeued += 1
    return {"requeued": requeued, "failed": failed}


def failed_tasks() -> list[dict]:
    items = huey.storage.result_items()
    return [_read(v) for k, v in items.items() if (k.decode() if isinstance(k, bytes) else k).startswith(FAILED)]


@huey.periodic_task(crontab(minute="*"))
def worker_heartbeat():
    # /healthz reports the worker as stale when this stops moving.
    from casereview.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"seen_at": timezone.now()})


@huey.periodic_task(crontab(minute="*"))
def abandoned_task_sweeper():
    _ensure_heartbeat()
    sweep_abandoned_tasks()
