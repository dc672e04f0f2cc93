"""Scheduled jobs, discovered by `manage.py run_worker`: chase chronologies every weekday morning, and sweep
stopped or abandoned imports every five minutes."""

from huey import crontab

from casereview.core.huey_app import huey


@huey.periodic_task(crontab(day_of_week="1-5", hour="8", minute="0"))
def chase_chronologies_daily():
    from .tasks import chase_chronologies

    chase_chronologies.enqueue()


@huey.periodic_task(crontab(minute="*/5"))
def sweep_import_jobs_regularly():
    from .tasks import sweep_import_jobs

    sweep_import_jobs.enqueue()
