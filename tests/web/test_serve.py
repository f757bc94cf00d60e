"""`wijkzicht serve` for real: gunicorn workers forked after the warm-up answer pages, the
chart bundle, the API and the report (a worker must not inherit a started JavaScript runtime)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 60) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - localhost
        return response.status, response.read()


@pytest.fixture(scope="module")
def server(web_store: Path, tmp_path_factory):
    port = _free_port()
    env = {
        **os.environ,
        "WIJKZICHT_DEMO": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('serve') / 'web.sqlite3'}",
    }
    env.pop("WIJKZICHT_SECRET_KEY", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the tests' own settings module
    log = tmp_path_factory.mktemp("serve-log") / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "wijkzicht.cli", "serve", "--db", str(web_store),
             "--port", str(port), "--workers", "2", "--threads", "2"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                _get(url + "/static/wijkzicht/app.css", timeout=5)
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"serve stopped: {log.read_text()}")
                time.sleep(0.5)
        else:
            proc.kill()
            pytest.fail(f"serve did not answer within 180 s: {log.read_text()}")
        yield url
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def test_forked_workers_serve_pages_bundle_api_and_report(server: str) -> None:
    status, body = _get(server + "/")
    assert status == 200 and b"<h1>" in body
    status, body = _get(server + "/assets/vega-embed.js")
    assert status == 200 and b"window.vegaEmbed=" in body
    status, body = _get(server + "/api/v1/indicatoren")
    assert status == 200 and b"jeugdhulp_0_17" in body
    for _ in range(2):  # both workers may take one: each renders with its own runtime
        status, body = _get(server + "/rapport", timeout=90)
        assert status == 200 and b"<svg" in body
    status, body = _get(server + "/rapport.pdf", timeout=90)
    assert status == 200 and body.startswith(b"%PDF")
