"""Start the web server: indicator results current, Django database migrated, then gunicorn."""

from __future__ import annotations

import time
from pathlib import Path

from gunicorn.app.base import BaseApplication

from wijkzicht.indicators import results
from wijkzicht.store import connect


def prepare_store(db: Path, providers: Path | None = None, echo=print) -> None:
    """Compute the indicator results when the store changed since they were computed."""
    con = connect(db, read_only=True)  # other readers (a running server) may hold the file
    try:
        current = results.current_version_ok(con) and results.is_current(con, providers)
    finally:
        con.close()
    if current:
        return
    con = connect(db)
    try:
        echo("Computing indicators for every area and period (once per store state)…")
        started = time.perf_counter()
        n = results.refresh(con, providers)
        echo(f"{n:,} indicator rows in {time.perf_counter() - started:.1f} s")
    finally:
        con.close()


def prepare_django() -> None:
    """Migrate the operational database (SQLite or PostgreSQL) and create the role groups."""
    from django.core.management import call_command

    from wijkzicht.web.accounts.users import ensure_roles

    call_command("migrate", interactive=False, verbosity=0)
    ensure_roles()


class _Gunicorn(BaseApplication):
    def __init__(self, app, options: dict) -> None:
        self.application = app
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def warm(echo=print) -> None:
    """Render the public pages everyone opens first (overview, every wijk, every indicator) in
    both languages, so their per-process caches are filled before the workers fork."""
    from django.db import connections
    from django.test import Client

    from wijkzicht.web.data import figures

    f = figures()
    urls = ["/", "/indicatoren"]
    urls += [f"/gebieden/{a.code}" for a in f.level("wijk")]
    urls += [f"/indicatoren/{i.name}" for i in f.indicators]
    started = time.perf_counter()
    failed = []
    for language in ("nl", "en"):
        client = Client(raise_request_exception=False)
        client.cookies["django_language"] = language
        for url in urls:
            if client.get(url).status_code != 200:
                failed.append(url)
    connections.close_all()  # no database connection may cross the fork
    echo(f"{2 * len(urls)} pages prepared in {time.perf_counter() - started:.1f} s")
    if failed:
        echo(f"warning: {len(failed)} page(s) failed while preparing: {', '.join(failed[:5])}")


def run(host: str, port: int, workers: int, threads: int, echo=print) -> None:
    """Serve the WSGI application; figures and page caches are filled before workers fork."""
    from wijkzicht.web.assets import vega_bundle
    from wijkzicht.web.wsgi import application

    vega_bundle()
    warm(echo)
    echo(f"Wijkzicht: http://{host}:{port}/  (Ctrl+C stops)")
    _Gunicorn(
        application,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "preload_app": True,
            "timeout": 120,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
        },
    ).run()
