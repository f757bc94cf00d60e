"""Notes: the municipality's explanation of a figure, kept with its whole history."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Note(models.Model):
    """One version of the explanation of an indicator in an area (optionally one period).
    A new text is a new row: the latest row is shown, older rows are the history."""

    indicator = models.CharField(max_length=80)
    area_code = models.CharField(max_length=20)
    period = models.CharField(max_length=10, blank=True)  # empty: applies to every period
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    author_name = models.CharField(max_length=150)
    created = models.DateTimeField(auto_now_add=True)
    public = models.BooleanField(default=True)  # shown on public pages and in the report

    class Meta:
        ordering = ["indicator", "area_code", "period", "-created", "-id"]
        indexes = [models.Index(fields=["indicator", "area_code"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_code} {self.period}: {self.text[:40]}"
