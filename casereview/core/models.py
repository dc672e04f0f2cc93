from django.db import models


class WorkerHeartbeat(models.Model):
    """One row the task worker touches every minute, so /healthz can tell whether it is alive."""

    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Worker last seen {self.seen_at:%Y-%m-%d %H:%M:%S}"
