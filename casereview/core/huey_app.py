"""The huey instance that runs django-tasks in the worker (`python manage.py run_worker`).

Application code never imports this: it enqueues through the django-tasks API (`task.enqueue(...)`), and
HueyTaskBackend hands the task's import path and arguments to `run_django_task` here.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string
from huey import SqliteHuey, crontab

settings.HUEY_PATH.parent.mkdir(parents=True, exist_ok=True)
huey = SqliteHuey("casereview", filename=str(settings.HUEY_PATH), timeout=30)


@huey.task(retries=3, retry_delay=60)
def run_django_task(module_path: str, args: list, kwargs: dict):
    task = import_string(module_path)
    return task.call(*args, **kwargs)


@huey.periodic_task(crontab(minute="*"))
def worker_heartbeat():
    # /healthz reports the worker as stale when this stops moving.
    from casereview.core.models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(pk=1, defaults={"seen_at": timezone.now()})
