"""Scheduled jobs, discovered by `manage.py run_worker`: every morning, remind and chase."""

from huey import crontab

from casereview.core.huey_app import huey


@huey.periodic_task(crontab(hour="7", minute="0"))
def referral_reminders():
    from .tasks import send_reminders

    send_reminders.enqueue()
