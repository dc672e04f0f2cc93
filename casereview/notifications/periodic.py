"""Scheduled jobs of the notifications app, run by the worker (`manage.py run_worker` autodiscovers this module)."""

from huey import crontab

from casereview.core.huey_app import huey


@huey.periodic_task(crontab(hour="7", minute="0"))
def daily_digests():
    # One digest for each person who chose it, before the working day; through django-tasks like any task.
    from .tasks import send_daily_digests

    send_daily_digests.enqueue()
