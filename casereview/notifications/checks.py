"""`manage.py check --deploy` says when email would not leave the machine."""

from django.conf import settings
from django.core.checks import Warning as CheckWarning

LOCAL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend": "printed to the console",
    "django.core.mail.backends.dummy.EmailBackend": "thrown away",
    "django.core.mail.backends.locmem.EmailBackend": "kept in memory",
    "django.core.mail.backends.filebased.EmailBackend": "written to files",
}


def email_leaves_the_machine(app_configs=None, **kwargs):
    fate = LOCAL_BACKENDS.get(settings.EMAIL_BACKEND)
    if fate is None:
        return []
    return [CheckWarning(
        f"Emails are {fate}, not sent: invitations, reminders and chasers reach nobody.",
        hint="Set EMAIL_BACKEND to django.core.mail.backends.smtp.EmailBackend (with EMAIL_HOST and its "
             "settings) or casereview.notifications.notify_backend.NotifyEmailBackend (GOV.UK Notify); "
             "see docs/deploy.md.",
        id="casereview.W001",
    )]
