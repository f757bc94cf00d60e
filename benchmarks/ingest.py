"""Ingest throughput against the floor (lxml parse + XSD validation) and a naive baseline.

    .venv/bin/python benchmarks/ingest.py [--youth N] [--years 2019-2024] [--seed 1]
        [--cache /tmp/wijkzicht-bench] [--xsd-dir ../shared/ijw/xsd] [--workers 2]
        [--naive-limit 1500] [--memory-sizes auto]

One synthetic city is generated once into the cache folder: by default Demostad, exactly as
``wijkzicht synth`` makes it (seed 1, 2019–2024, ~334,000 messages; ``--youth 10000 --years
2022-2024`` is a quick 27,617); its iJw messages (the ``berichten`` folder) are then, in ONE
run so the ratios are fair on a noisy machine:

a. the floor: read the bytes, ``etree.fromstring`` with the safe parser, ``schema.validate``
   — in one process and in ``--workers`` processes;
b. ``wijkzicht ingest berichten --db fresh.duckdb --xsd-dir …`` (wall clock of the command,
   start-up included; peak RSS of its process tree, sampled);
c. a naive baseline: ``xmlschema`` ``to_dict`` of every message, a pandas DataFrame per
   message type, written with DuckDB — on a sample (``--naive-limit`` messages, stratified
   by message type, at least 3 of each), timed per type and scaled to the whole traffic:
   message types differ a hundredfold in cost (a JW323 declaratie holds every prestatie of
   a provider's month: up to 1.4 MB on Demostad), so an unstratified sample of 1,500 holds
   one or two of them by chance. Also shown: the decoding alone (``to_dict``), without the
   DataFrames, which flatten each message into one row (a wide one for a declaratie).

Then peak RSS of (b) on N and 4N messages (symlinked subsets), to show memory stays flat.
Goals of the issue: b ≥ 0.7 × a (same number of cores as b) and b ≥ 20 × c.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "benchmark-secret-not-for-real-data"  # noqa: S105 - synthetic data only
CODES = [f"JW{n}" for n in (301, 302, 305, 306, 307, 308, 315, 316, 317, 318, 319, 320, 323, 325)]


# ----------------------------------------------------------------------------- the city
def city(cache: Path, youth: int | None, first: int, last: int, seed: int) -> Path:
    """The synthetic city, generated once per parameter set (``youth`` None: Demostad's)."""
    out = cache / f"city-y{youth or 'demostad'}-{first}-{last}-s{seed}"
    if not (out / "manifest.json").exists():
        from wijkzicht.synth.run import generate

        if out.exists():
            shutil.rmtree(out)
        started = time.perf_counter()
        print(f"generating {out} …", flush=True)
        generate(out, seed=seed, youth=youth, first_year=first, last_year=last)
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    return out


def message_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in (folder / "berichten").rglob("*") if p.is_file())


# ----------------------------------------------------------------------------- (a) floor
_SCHEMAS: dict = {}


def _load_schemas(xsd_dir: str) -> None:
    from wijkzicht.ijw.xsd import xsd_set

    xs = xsd_set(xsd_dir).load_all()
    _SCHEMAS.update({code: xs.schema(code) for code in CODES})


def _ns_code(root) -> str:
    # "http://www.istandaarden.nl/ijw/3_2/jw301/schema" → "JW301"
    return root.tag[1:].split("}", 1)[0].rsplit("/", 2)[-2].upper()


def floor_chunk(files: list[str]) -> tuple[int, float]:
    """Read, parse and validate; how many messages are valid, and the CPU seconds used."""
    from lxml import etree

    from wijkzicht.ijw.xmlio import safe_parser

    cpu = time.process_time()
    parser = safe_parser()
    valid = 0
    for f in files:
        with open(f, "rb") as fh:  # noqa: PTH123 - the plainest read
            data = fh.read()
        root = etree.fromstring(data, parser)
        valid += _SCHEMAS[_ns_code(root)].validate(root)
    return valid, time.process_time() - cpu


def _warm(seconds: float) -> int:
    time.sleep(seconds)  # keeps this worker busy so every worker gets one warm-up task
    return os.getpid()


def floor(files: list[str], xsd_dir: str, workers: int) -> tuple[float, float, int]:
    """Messages per second (wall clock) and CPU seconds per message of the floor, in-process
    (workers=1) or in worker processes."""
    if workers == 1:
        _load_schemas(xsd_dir)
        started = time.perf_counter()
        valid, cpu = floor_chunk(files)
        return len(files) / (time.perf_counter() - started), cpu / len(files), valid
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(workers, initializer=_load_schemas, initargs=(xsd_dir,)) as pool:
        pool.map(_warm, [0.3] * workers, chunksize=1)  # start-up and schemas not timed
        size = max(1, min(2000, len(files) // (workers * 4)))
        chunks = [files[i : i + size] for i in range(0, len(files), size)]
        started = time.perf_counter()
        results = list(pool.imap_unordered(floor_chunk, chunks))
        seconds = time.perf_counter() - started
    valid = sum(v for v, _ in results)
    cpu = sum(c for _, c in results)
    return len(files) / seconds, cpu / len(files), valid


# ----------------------------------------------------------------------------- (b) ingest
class TreeRss:
    """Samples the summed RSS of a process and all its descendants (Linux /proc)."""

    def __init__(self, pid: int, every: float = 0.02):
        self.pid, self.every = pid, every
        self.peak = self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _children(self) -> dict[int, list[int]]:
        kids: dict[int, list[int]] = defaultdict(list)
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            kids[ppid].append(int(entry.name))
        return kids

    @staticmethod
    def _rss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def _run(self) -> None:
        while not self._stop.is_set():
            kids = self._children()
            todo, total = [self.pid], 0
            while todo:
                pid = todo.pop()
                rss = self._rss(pid)
                total += rss
                self.peak_single = max(self.peak_single, rss)
                todo.extend(kids.get(pid, []))
            self.peak = max(self.peak, total)
            self._stop.wait(self.every)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def wijkzicht_command() -> list[str]:
    script = Path(sys.executable).with_name("wijkzicht")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from wijkzicht.cli import main; main()"]


def ingest(folder: Path, xsd_dir: str, workers: int, work: Path, src: str | None = None) -> dict:
    """Run ``wijkzicht ingest`` on ``folder`` into a fresh store; seconds, counts, peak RSS.

    ``src``: run the wijkzicht package found in that folder instead (e.g. an older commit
    exported with ``git archive``), for a before/after comparison in the same run."""
    db = work / "bench.duckdb"
    for p in (db, db.with_name(db.name + ".wal")):
        p.unlink(missing_ok=True)
    env = {**os.environ, "WIJKZICHT_PSEUDONYM_KEY": SECRET,
           "WIJKZICHT_INGEST_WORKERS": str(workers)}  # fmt: skip
    if src:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    cmd = [*wijkzicht_command(), "ingest", str(folder), "--db", str(db), "--xsd-dir", xsd_dir,
           "--json"]  # fmt: skip
    with tempfile.TemporaryFile() as out_fh, tempfile.TemporaryFile() as err_fh:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out_fh, stderr=err_fh)
        rss = TreeRss(proc.pid)
        # wait4: the rusage of the command includes its waited-for worker processes
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        rss.stop()
        out_fh.seek(0)
        err_fh.seek(0)
        out, err = out_fh.read(), err_fh.read()
    if proc.returncode != 0:
        raise SystemExit(f"wijkzicht ingest failed ({proc.returncode}):\n{err.decode()}")
    counts = json.loads(out.decode().strip().splitlines()[-1])
    cpu = usage.ru_utime + usage.ru_stime
    return {"seconds": seconds, "cpu": cpu, "counts": counts, "peak": rss.peak,
            "peak_single": rss.peak_single}  # fmt: skip


def subset_folder(files: list[str], n: int, work: Path) -> Path:
    """A folder of symlinks to ``n`` of the messages, spread evenly over the whole set."""
    folder = work / f"subset-{n}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    for i, f in enumerate(spread(files, n)):
        (folder / f"{i:07d}_{Path(f).name}").symlink_to(f)
    return folder


def spread(files: list[str], n: int) -> list[str]:
    if n >= len(files):
        return list(files)
    step = len(files) / n
    return [files[int(i * step)] for i in range(n)]


# ----------------------------------------------------------------------------- (c) naive
def _flatten(value, prefix: str, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            if k.startswith("@xmlns"):
                continue
            _flatten(v, f"{prefix}.{k.split(':')[-1]}" if prefix else k.split(":")[-1], out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _flatten(v, f"{prefix}[{i}]", out)
    else:
        out[prefix] = value


def stratified(files: list[str], limit: int) -> dict[str, tuple[int, list[str]]]:
    """Per message type: how many of ``files`` it has, and about ``limit`` × its share of them
    (at least 3), spread evenly within the type."""
    by_code: dict[str, list[str]] = defaultdict(list)
    for f in files:
        by_code[Path(f).name[:5]].append(f)
    return {
        code: (
            len(group),
            spread(group, max(min(3, len(group)), round(limit * len(group) / len(files)))),
        )
        for code, group in sorted(by_code.items())
    }


def naive(files: list[str], limit: int, xsd_dir: str, work: Path) -> dict:
    """What a junior would write: xmlschema to_dict, a DataFrame per type, DuckDB from it.

    Run on a stratified sample; each type's time (its decoding, and its DataFrame and table)
    is scaled by its share of ``files``. Returns the estimated messages per second and CPU
    per message for all of ``files``, the same for the decoding alone, the sample size and
    how many of it were valid."""
    import duckdb
    import pandas as pd
    import xmlschema

    schemas = {code: xmlschema.XMLSchema(str(Path(xsd_dir) / f"{code}.xsd")) for code in CODES}
    db = work / "naive.duckdb"
    db.unlink(missing_ok=True)
    sample = stratified(files, limit)
    total = {"wall": 0.0, "cpu": 0.0, "decode_wall": 0.0, "decode_cpu": 0.0}
    valid = 0
    con = duckdb.connect(str(db))
    for code, (count, chosen) in sample.items():
        weight = count / len(chosen)
        wall, cpu = time.perf_counter(), time.process_time()
        rows: list[dict] = []
        decode_wall = decode_cpu = 0.0
        for f in chosen:
            w0, c0 = time.perf_counter(), time.process_time()
            try:
                data = schemas[code].to_dict(f)
            except xmlschema.XMLSchemaValidationError:
                continue
            finally:
                decode_wall += time.perf_counter() - w0
                decode_cpu += time.process_time() - c0
            valid += 1
            row: dict = {"file": f}
            _flatten(data, "", row)
            rows.append(row)
        if rows:
            frame = pd.DataFrame(rows).astype(str)
            con.register("frame", frame)
            con.execute(f"CREATE TABLE {code} AS SELECT * FROM frame")  # noqa: S608
            con.unregister("frame")
        total["wall"] += weight * (time.perf_counter() - wall)
        total["cpu"] += weight * (time.process_time() - cpu)
        total["decode_wall"] += weight * decode_wall
        total["decode_cpu"] += weight * decode_cpu
    con.close()
    n = len(files)
    return {
        "rate": n / total["wall"],
        "cpu": total["cpu"] / n,
        "decode_rate": n / total["decode_wall"],
        "decode_cpu": total["decode_cpu"] / n,
        "sampled": sum(len(chosen) for _, chosen in sample.values()),
        "valid": valid,
    }


# ----------------------------------------------------------------------------- main
def mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--youth", type=int, default=None, help="default: Demostad's")
    ap.add_argument("--years", default="2019-2024")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "wijkzicht-bench")
    ap.add_argument("--xsd-dir", type=Path, default=ROOT.parent / "shared" / "ijw" / "xsd")
    ap.add_argument("--workers", type=int, default=2, help="ingest workers (and floor processes)")
    ap.add_argument("--naive-limit", type=int, default=1500, help="messages for (c)")
    ap.add_argument(
        "--memory-sizes",
        default="auto",
        help="N,4N message counts for the memory check (auto: a quarter of all, and all)",
    )
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: a,b,c,memory")
    ap.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="SRC",
        help="also run (b) with the package in SRC (e.g. `git archive` of an older commit's "
        "src folder), for before/after in one run; repeatable",
    )
    args = ap.parse_args()
    first, last = (int(y) for y in args.years.split("-"))
    skip = set(filter(None, args.skip.split(",")))
    xsd_dir = str(args.xsd_dir)
    args.cache.mkdir(parents=True, exist_ok=True)
    folder = city(args.cache, args.youth, first, last, args.seed)
    files = message_files(folder)
    n = len(files)
    size = sum(len(Path(f).read_bytes()) for f in files)  # and into the page cache: what
    # runs first would otherwise pay for the disk (seen: the floor at 197 µs CPU instead of 70)
    print(f"{n:,} messages, {mb(size)}, from {folder}")
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs\n", flush=True)
    floor_1 = floor_w = ing = naive_rate = None
    cpu_1 = cpu_w = naive_cpu = 0.0
    with tempfile.TemporaryDirectory(dir=args.cache) as tmp:
        work = Path(tmp)
        if "a" not in skip:
            floor_1, cpu_1, valid = floor(files, xsd_dir, 1)
            print(
                f"a  floor, 1 process:       {floor_1:>9,.0f} messages/s, {cpu_1 * 1e6:6.0f} µs "
                f"CPU/message ({valid:,} valid)"
            )
            floor_w, cpu_w, _ = floor(files, xsd_dir, args.workers)
            print(
                f"a  floor, {args.workers} processes:     {floor_w:>9,.0f} messages/s, "
                f"{cpu_w * 1e6:6.0f} µs CPU/message",
                flush=True,
            )
        if "b" not in skip:
            ing = ingest(folder / "berichten", xsd_dir, args.workers, work)
            print(
                f"b  wijkzicht ingest:       {n / ing['seconds']:>9,.0f} messages/s, "
                f"{ing['cpu'] / n * 1e6:6.0f} µs CPU/message ({ing['seconds']:.1f} s wall clock "
                f"incl. start-up, {args.workers} workers; {ing['counts']}); peak RSS "
                f"{mb(ing['peak'])} (process tree), {mb(ing['peak_single'])} largest process",
                flush=True,
            )
        for src in args.compare:
            other = ingest(folder / "berichten", xsd_dir, args.workers, work, src)
            print(
                f"b' ingest from {src}: {n / other['seconds']:>9,.0f} messages/s, "
                f"{other['cpu'] / n * 1e6:6.0f} µs CPU/message ({other['seconds']:.1f} s; "
                f"{other['counts']}); peak RSS {mb(other['peak'])} (process tree)",
                flush=True,
            )
        if "c" not in skip:
            c = naive(files, args.naive_limit, xsd_dir, work)
            naive_rate, naive_cpu = c["rate"], c["cpu"]
            print(
                f"c  naive xmlschema+pandas: {naive_rate:>8,.0f} messages/s, "
                f"{naive_cpu * 1e6:6.0f} µs CPU/message (1 process; estimated for all "
                f"{n:,} from a sample of {c['sampled']:,} stratified by type, "
                f"{c['valid']:,} valid)\n"
                f"c' its decoding alone:     {c['decode_rate']:>8,.0f} messages/s, "
                f"{c['decode_cpu'] * 1e6:6.0f} µs CPU/message (xmlschema to_dict, no pandas)",
                flush=True,
            )
        print()
        if ing and floor_w:
            b = n / ing["seconds"]
            b_cpu = ing["cpu"] / n
            print(
                f"b/a = {b / floor_w:.2f} wall clock, {cpu_w / b_cpu:.2f} CPU "
                f"(a with {args.workers} processes, as b uses {args.workers} workers; goal ≥ 0.70)"
            )
            print(f"b/a = {b / floor_1:.2f} wall clock, {cpu_1 / b_cpu:.2f} CPU (a with 1 process)")
        if ing and naive_rate:
            print(
                f"b/c = {n / ing['seconds'] / naive_rate:.1f} wall clock, "
                f"{naive_cpu / (ing['cpu'] / n):.1f} CPU (goal ≥ 20); "
                f"b/c' = {n / ing['seconds'] / c['decode_rate']:.1f} wall clock, "
                f"{c['decode_cpu'] / (ing['cpu'] / n):.1f} CPU"
            )
        if "memory" not in skip:
            if args.memory_sizes == "auto":
                sizes = [n // 4, n]
            else:
                sizes = [int(s) for s in args.memory_sizes.split(",")]
            print()
            for m in sizes:
                if m > n:
                    print(f"memory: {m:,} messages asked, only {n:,} in the city: skipped")
                    continue
                if m == n and ing:
                    res = ing  # (b) measured it
                else:
                    target = folder / "berichten" if m == n else subset_folder(files, m, work)
                    res = ingest(target, xsd_dir, args.workers, work)
                print(
                    f"memory: {m:>9,} messages → peak RSS {mb(res['peak'])} (process tree), "
                    f"{mb(res['peak_single'])} largest process; {m / res['seconds']:,.0f} "
                    f"messages/s, {res['cpu'] / m * 1e6:.0f} µs CPU/message",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
