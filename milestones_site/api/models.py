"""What the REST kit itself stores: the answers to POSTs sent with an `Idempotency-Key`."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class IdempotencyKey(models.Model):
    """A successful POST answered under a caller's `Idempotency-Key`, kept for 24 hours so
    that a retry gets the same answer instead of a second object
    (milestones_site.api.idempotency). Written in the same transaction as what the POST
    created: the key exists exactly when its objects do."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the method, path and body the key was first used with."
    )
    status_code = models.PositiveSmallIntegerField(default=0)
    headers = models.JSONField(default=dict, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.status_code})"
