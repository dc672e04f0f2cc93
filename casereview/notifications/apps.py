from django.apps import AppConfig
from django.core import checks


class NotificationsConfig(AppConfig):
    name = "casereview.notifications"

    def ready(self):
        from .checks import email_leaves_the_machine

        checks.register(email_leaves_the_machine, checks.Tags.compatibility, deploy=True)
