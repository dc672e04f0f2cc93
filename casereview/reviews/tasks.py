from django_tasks import task


@task()
def send_reminders() -> dict:
    """Reminders before and on a review's completion target and agencies' information deadlines."""
    from .services.reminders import reminders_send

    return reminders_send()
