from django.db import models


class WorkerHeartbeat(models.Model):
    """One row the task worker touches every minute, so /healthz can tell whether it is alive."""

    seen_at = models.DateTimeField()
