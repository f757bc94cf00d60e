"""Web benchmark: ``wijkzicht serve`` (demo mode) under concurrent clients.

    .venv/bin/python benchmarks/web.py --db /work/demo/demostad.duckdb   # Demostad
    .venv/bin/python benchmarks/web.py            # a small city, built once under /tmp
    options: --clients 20 --seconds 30 --port 8104 --workers 2 --threads 4

Starts the server as a subprocess on the store (never writing beside it: the web database is
a throwaway SQLite file in a temporary folder, and a store whose indicator results are not
current is refused rather than recomputed), waits until it answers, then lets ``--clients``
threads (one keep-alive ``http.client`` connection each) request for ``--seconds``, each
client cycling through four targets in its own order:

  floor     /static/wijkzicht/app.css (WhiteNoise; no Django view, no figures)
  overview  /
  area      /gebieden/<the first wijk>
  api       /api/v1/indicatoren/jeugdhulp_0_17/waarden?periode=<newest final year>&niveau=wijk

and prints per target: requests, p50, p95, max (ms), errors, and p95 / p95 of the floor. The
floor runs at the same time under the same load, so the ratio stays comparable on a shared,
noisy machine where the absolute times do not.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb

from wijkzicht.indicators import results

KEY = "wijkzicht-benchmark-key-0123456789"
DATA = ("berichten", "bij", "brp", "bevolking", "gebieden", "ervaring")
INDICATOR = "jeugdhulp_0_17"
WIJKZICHT = Path(sys.executable).with_name("wijkzicht")


def small_city() -> tuple[Path, Path]:
    """A small synthetic city with its indicator results (built once, then reused)."""
    from wijkzicht import settings as settings_mod
    from wijkzicht.care.providers import from_network, write_csv
    from wijkzicht.ingest import ingest
    from wijkzicht.store import Keys, connect
    from wijkzicht.synth.providers import network
    from wijkzicht.synth.run import generate

    out = Path(tempfile.gettempdir()) / "wijkzicht-bench-web" / "city-3000-2022-2024"
    db, providers = out / "store.duckdb", out / "aanbieders.csv"
    if not db.exists():
        shutil.rmtree(out, ignore_errors=True)  # an interrupted run's files
        print(f"building a small city in {out} (once)…", file=sys.stderr)
        generate(out, seed=7, first_year=2022, last_year=2024, youth=3000)
        con = connect(out / "building.duckdb")
        s = settings_mod.load({"WIJKZICHT_PSEUDONYM_KEY": KEY, "WIJKZICHT_INGEST_WORKERS": "1"})
        ingest([out / d for d in DATA if (out / d).exists()], con, Keys(KEY), s)
        wijken = sorted(r[0] for r in con.execute(
            "SELECT code FROM areas WHERE soort = 'wijk'").fetchall())  # fmt: skip
        write_csv(providers, from_network(network("9999", wijken)))
        results.refresh(con, providers)
        con.close()
        (out / "building.duckdb").rename(db)
    return db, providers


def check_store(db: Path) -> str:
    """The first wijk's code; refuses a store whose results are not current (serve would
    recompute them, writing to the store)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        if not (results.current_version_ok(con) and results.is_current(con)):
            sys.exit(f"{db}: indicator results are not current; run "
                     "`wijkzicht indicators --db … --refresh` first")  # fmt: skip
        return con.execute("SELECT min(code) FROM areas WHERE soort = 'wijk'").fetchall()[0][0]
    finally:
        con.close()


def start(db: Path, port: int, workers: int, threads: int, tmp: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "WIJKZICHT_DEMO": "1",
        "DATABASE_URL": f"sqlite:///{tmp / 'web.sqlite3'}",
    }
    env.pop("WIJKZICHT_SECRET_KEY", None)
    cmd = [str(WIJKZICHT), "serve", "--db", str(db), "--port", str(port),
           "--workers", str(workers), "--threads", str(threads)]  # fmt: skip
    log = (tmp / "serve.log").open("w")
    return subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip


def wait(server: subprocess.Popen, port: int, tmp: Path, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped:\n{(tmp / 'serve.log').read_text()}")
        try:
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            con.request("GET", "/static/wijkzicht/app.css")
            if con.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit(f"the server did not answer within {timeout:.0f} s")


def get_json(port: int, path: str) -> dict:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    con.request("GET", path)
    response = con.getresponse()
    body = response.read()
    if response.status != 200:
        sys.exit(f"GET {path}: {response.status}")
    return json.loads(body)


def final_year(port: int) -> str:
    """The newest year that is no longer provisional (else the newest year), from the API."""
    years, path = [], "/api/v1/perioden?paginaGrootte=1000"
    while path:
        body = get_json(port, path)
        years += [p for p in body["_embedded"]["perioden"] if p["soort"] == "jaar"]
        path = body["_links"].get("next", {}).get("href")
    final = [p["code"] for p in years if not p["voorlopig"]]
    return max(final or [p["code"] for p in years])


class Client(threading.Thread):
    """Requests until ``stop``, cycling through the targets; keeps (target, ms, ok)."""

    def __init__(self, port: int, targets: dict[str, str], stop: threading.Event,
                 seed: int) -> None:  # fmt: skip
        super().__init__(daemon=True)
        self.port, self.stop = port, stop
        self.order = list(targets.items())
        random.Random(seed).shuffle(self.order)
        self.samples: list[tuple[str, float, bool]] = []

    def run(self) -> None:
        con = None
        k = 0
        while not self.stop.is_set():
            name, path = self.order[k % len(self.order)]
            k += 1
            started = time.perf_counter()
            ok = False
            try:
                if con is None:
                    con = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                con.request("GET", path)
                response = con.getresponse()
                response.read()
                ok = response.status == 200
                if response.will_close:
                    con.close()
                    con = None
            except (OSError, http.client.HTTPException):
                if con is not None:
                    con.close()
                con = None
            self.samples.append((name, (time.perf_counter() - started) * 1000, ok))


def percentile(sorted_ms: list[float], q: float) -> float:
    if not sorted_ms:
        return float("nan")
    k = min(len(sorted_ms) - 1, max(0, round(q * (len(sorted_ms) - 1))))
    return sorted_ms[k]


def report(samples: list[tuple[str, float, bool]], targets: dict[str, str], seconds: float) -> None:
    stats = {}
    for name in targets:
        ms = sorted(t for n, t, ok in samples if n == name and ok)
        errors = sum(1 for n, _, ok in samples if n == name and not ok)
        stats[name] = (len(ms) + errors, percentile(ms, 0.5), percentile(ms, 0.95),
                       ms[-1] if ms else float("nan"), errors)  # fmt: skip
    floor = stats["floor"][2]
    print(f"{'target':<10} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'max ms':>8} {'errors':>6} {'p95/floor':>9}")  # fmt: skip
    for name, (n, p50, p95, top, errors) in stats.items():
        print(f"{name:<10} {n:>8} {n / seconds:>7.1f} {p50:>8.1f} {p95:>8.1f} {top:>8.1f} "
              f"{errors:>6} {p95 / floor:>9.1f}")  # fmt: skip
    for name, path in targets.items():
        print(f"  {name}: {path}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="a store with indicator results (default: a small "
                    "city built once); e.g. /work/demo/demostad.duckdb")  # fmt: skip
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--port", type=int, default=8104)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    args = ap.parse_args()
    db = args.db.resolve() if args.db else small_city()[0]
    wijk = check_store(db)
    with tempfile.TemporaryDirectory(prefix="wijkzicht-bench-web-") as tmp:
        started = time.perf_counter()
        server = start(db, args.port, args.workers, args.threads, Path(tmp))
        try:
            wait(server, args.port, Path(tmp))
            print(f"server on {db.name} ready in {time.perf_counter() - started:.1f} s "
                  f"({args.workers} workers × {args.threads} threads)")  # fmt: skip
            targets = {
                "floor": "/static/wijkzicht/app.css",
                "overview": "/",
                "area": f"/gebieden/{wijk}",
                "api": f"/api/v1/indicatoren/{INDICATOR}/waarden?periode={final_year(args.port)}"
                "&niveau=wijk",
            }
            for path in targets.values():  # warm up: each page once (caches, lazy loads)
                get = http.client.HTTPConnection("127.0.0.1", args.port, timeout=120)
                get.request("GET", path)
                if (status := get.getresponse().status) != 200:
                    sys.exit(f"GET {path}: {status}")
            stop = threading.Event()
            clients = [Client(args.port, targets, stop, seed) for seed in range(args.clients)]
            began = time.perf_counter()
            for c in clients:
                c.start()
            time.sleep(args.seconds)
            stop.set()
            for c in clients:
                c.join(timeout=120)
            elapsed = time.perf_counter() - began
            print(f"{args.clients} clients for {elapsed:.1f} s")
            report([s for c in clients for s in c.samples], targets, elapsed)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


if __name__ == "__main__":
    main()
