"""The web's operational database on PostgreSQL: scripts/test.sh runs the Django tests a second
time with DATABASE_URL=postgres://…; this test proves that run really used PostgreSQL."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from wijkzicht.web.audit.models import AccessEvent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="only in scripts/test.sh's PostgreSQL pass (DATABASE_URL=postgres://…)",
    ),
]


def test_the_web_database_is_postgresql() -> None:
    assert connection.vendor == "postgresql"
    assert connection.settings_dict["NAME"].startswith("test_")  # pytest-django's own database
    event = AccessEvent.objects.create(
        user="ana", role="analist", event="read", object_type="indicator", result="success"
    )
    assert AccessEvent.objects.get(pk=event.pk).when is not None
