from django_tasks import task


@task()
def send_action_reminders() -> dict:
    """Quarterly update reminders (before the due date) and chasers (after it), for every board."""
    from .services import reminders_send

    return reminders_send()
