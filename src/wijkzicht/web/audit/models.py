"""One row per access to non-public data (and per refusal). Rows are never changed or deleted
by the application; keep them 5 years (``docs/web.md``)."""

from __future__ import annotations

from django.db import models

EVENTS = ("read", "search", "export", "print", "change", "login", "logout")
RESULTS = ("success", "denied", "error")


class AccessEvent(models.Model):
    when = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.CharField(max_length=150)  # the user name, kept even if the user is deleted
    role = models.CharField(max_length=20)
    on_behalf_of = models.CharField(max_length=200, blank=True)  # organisation
    event = models.CharField(max_length=10, choices=[(e, e) for e in EVENTS])
    object_type = models.CharField(max_length=40)  # indicator, area, export, quarantine, page…
    object_id = models.CharField(max_length=300, blank=True)
    purpose = models.CharField(max_length=40, blank=True)
    result = models.CharField(max_length=10, choices=[(r, r) for r in RESULTS])
    path = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-when", "-id"]
        indexes = [models.Index(fields=["user", "when"])]

    def __str__(self) -> str:
        return f"{self.when:%Y-%m-%d %H:%M} {self.user} {self.event} {self.object_type}"
