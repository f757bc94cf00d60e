"""Check a whole synth output against the official XSDs and the in-message rules.

    .venv/bin/python benchmarks/validate_synth.py demostad [--xsd-dir ../shared/ijw/xsd]

Prints per message type how many messages pass, and exits 1 when a message fails that the
generator did not tag as a deliberate error, or a tagged one passes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from wijkzicht.synth.verify import verify

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--xsd-dir", type=Path, default=ROOT.parent / "shared" / "ijw" / "xsd")
    args = ap.parse_args()
    started = time.perf_counter()
    v = verify(args.out, args.xsd_dir)
    seconds = time.perf_counter() - started
    n = sum(v.total.values())
    for code in sorted(v.total):
        print(f"{code}: {v.valid[code]:>9,} of {v.total[code]:>9,} pass XSD and in-message rules")
    print(
        f"all:   {sum(v.valid.values()):>9,} of {n:>9,} ({100 * v.share_valid:.2f} %), "
        f"{n / seconds:,.0f} messages/s"
    )
    print("deliberate errors tagged:", dict(sorted(v.tagged.items())))
    print("failures found:          ", dict(sorted(v.found.items())))
    for s in v.surprises[:20]:
        print("SURPRISE", s)
    return 1 if v.surprises else 0


if __name__ == "__main__":
    sys.exit(main())
