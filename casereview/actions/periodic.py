"""Scheduled jobs of the actions app, run by the worker (`manage.py run_worker` autodiscovers this module)."""

from huey import crontab

from casereview.core.huey_app import huey


@huey.periodic_task(crontab(hour="7", minute="15"))
def daily_action_reminders():
    # Enqueued through django-tasks like any other task, so it is retried and visible in the same way.
    from .tasks import send_action_reminders

    send_action_reminders.enqueue()
