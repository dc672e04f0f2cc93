"""Optional email backend for GOV.UK Notify.

Set EMAIL_BACKEND=casereview.notifications.notify_backend.NotifyEmailBackend, NOTIFY_API_KEY and
NOTIFY_TEMPLATE_ID. The Notify template must have two placeholders: ((subject)) and ((body)).
"""

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend


class NotifyEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from notifications_python_client.notifications import NotificationsAPIClient

        client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
        sent = 0
        for message in email_messages:
            for recipient in message.to:
                try:
                    client.send_email_notification(
                        email_address=recipient,
                        template_id=settings.NOTIFY_TEMPLATE_ID,
                        personalisation={"subject": message.subject, "body": message.body},
                    )
                except Exception:
                    if not self.fail_silently:
                        raise
                    continue
                sent += 1
        return sent
