from django_tasks import task


@task()
def send_reminders() -> dict:
    """Clock reminders before and on due dates, and chasers for agencies' overdue summaries."""
    from .services import reminders_send

    return reminders_send()
