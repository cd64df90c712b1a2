"""Benchmark: peak memory of `facade crawl` as the number of sites grows (it should be flat).

Crawls lab worlds of 1,000, 4,000 and 16,000 sites (or the sizes given), each with a fresh
lab and database, and prints each crawl process's own peak resident memory (VmHWM, which
starts afresh at exec), its enrichment process's (the largest child it waited for), and its
time.

    .venv/bin/python bench/crawl_memory.py            # 1000 4000 16000
    .venv/bin/python bench/crawl_memory.py 1000 4000
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "tests" / "loopback_guard"  # every process started here stays on loopback
sys.path.insert(0, str(ROOT))

CHILD = ("import resource, sys; from crawler.cli import main; rc = main(sys.argv[1:]); "
         "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]; "
         "kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss; "
         "print('peak_kb', hwm.split()[1], kids, file=sys.stderr); sys.exit(rc)")


def crawl_peak(sites: int) -> tuple[float, float, float]:
    from crawler.lab.server import LabServer

    env = {**os.environ}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), env.get("PYTHONPATH")]))
    with tempfile.TemporaryDirectory() as tmp, LabServer(seed=1, sites=sites,
                                                         folder=Path(tmp) / "lab") as lab:
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", CHILD, "crawl", str(lab.seeds_file), *lab.crawl_args(),
             "--timeout", "10", "--db", str(Path(tmp) / "m.db"), "--quiet", "--max-pages", "4"],
            cwd=ROOT, env=env, capture_output=True, text=True)
        seconds = time.monotonic() - started
        if result.returncode != 0:
            sys.exit(result.stderr[-2000:])
        own, enrichment = result.stderr.rsplit("peak_kb ", 1)[1].split()[:2]
        return int(own) / 1024, int(enrichment) / 1024, seconds


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 4_000, 16_000]
    print(f"{'sites':>7} {'peak MB':>8} {'enrichment MB':>14} {'seconds':>8}")
    first = None
    for n in sizes:
        peak, enrichment, seconds = crawl_peak(n)
        first = first or peak + enrichment
        print(f"{n:>7} {peak:>8.0f} {enrichment:>14.0f} {seconds:>8.0f}"
              f"   (together {(peak + enrichment) / first:.2f}x the first)", flush=True)


if __name__ == "__main__":
    main()
