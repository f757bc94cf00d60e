"""Shared test fixtures: where the reference data beside the checkout lives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WIJKZICHT_SHARED", ROOT.parent / "shared"))
XSD_DIR = SHARED / "ijw" / "xsd"
EXAMPLES_DIR = SHARED / "ijw" / "examples"


def pytest_sessionstart(session: pytest.Session) -> None:
    if not XSD_DIR.is_dir():
        raise pytest.UsageError(
            f"reference data missing: {XSD_DIR} (shared/ must sit beside the checkout)"
        )


@pytest.fixture(scope="session")
def xsd_dir() -> Path:
    return XSD_DIR


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return EXAMPLES_DIR
