"""A small synthetic city, ingested, with its indicator results: the store every web test
reads (built once per test session), and Django pointed at it."""

from __future__ import annotations

from pathlib import Path

import pytest

from wijkzicht import settings as settings_mod
from wijkzicht.cli.demo import DELIVERIES, write_providers
from wijkzicht.indicators import results
from wijkzicht.ingest import ingest
from wijkzicht.store import Keys, connect
from wijkzicht.synth.run import generate

KEY = "wijkzicht-web-test-pseudonym-key"
SEED, YOUTH, FIRST, LAST = 7, 3000, 2022, 2024


@pytest.fixture(scope="session")
def web_city(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("web-city")
    generate(out, seed=SEED, first_year=FIRST, last_year=LAST, youth=YOUTH)
    return out


@pytest.fixture(scope="session")
def web_store(web_city: Path) -> Path:
    db = web_city / "store.duckdb"
    con = connect(db)
    s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY, "WIJKZICHT_INGEST_WORKERS": "1"})
    ingest([web_city / d for d in DELIVERIES if (web_city / d).exists()], con, Keys(KEY), s)
    con.close()
    providers = web_city / "aanbieders.csv"
    write_providers(db, providers)  # as `wijkzicht demo` does
    con = connect(db)
    results.refresh(con, providers)
    con.close()
    return db


@pytest.fixture(autouse=True)
def _store_setting(request, settings) -> None:
    """Every web test reads the session's store (built on first use)."""
    settings.STORE = request.getfixturevalue("web_store")
