from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A personal API token. It carries exactly its owner's permissions; only a hash of it is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. 'Case management sync'.")
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # A token stops working on this date unless its owner renews it (API_TOKEN_DAYS, 90 days by default).
    expires_at = models.DateTimeField(null=True)
    # Made while the deployment ran in demo mode: such a token is refused once demo mode is off.
    made_in_demo_mode = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at is None or self.expires_at <= timezone.now()

    def audit_label(self) -> str:
        return f"token {self.prefix}"
