"""Scheduled jobs, discovered by `manage.py run_worker`: every morning, remind."""

from huey import crontab

from casereview.core.huey_app import huey


@huey.periodic_task(crontab(hour="7", minute="5"))
def review_reminders():
    from .tasks import send_reminders

    send_reminders.enqueue()
