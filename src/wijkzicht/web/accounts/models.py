from __future__ import annotations

from django.conf import settings
from django.db import models


class Profile(models.Model):
    """The organisation a user acts for (the audit log's *on whose behalf*)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="profile")  # fmt: skip
    organisation = models.CharField(max_length=200)

    def __str__(self) -> str:
        return f"{self.user} ({self.organisation})"
