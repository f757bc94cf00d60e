"""Django settings for the tests: the project's own, with a test secret. The store is set by
the ``web_store`` fixture (tests/web/conftest.py); DATABASE_URL picks PostgreSQL."""

import os

os.environ.setdefault("WIJKZICHT_SECRET_KEY", "test-only-secret-key-0123456789-abcdefghij")

from wijkzicht.web.settings import *  # noqa: F403
