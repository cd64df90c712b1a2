"""Benchmark: `facade cluster` on the default engine and with `--engine spark` (PySpark in
local mode, every core of this machine) on the same run; seconds, peak memory, seconds per
stage, and whether the two stored exactly the same clusters, evidence, fingerprints and
events.

    .venv/bin/python bench/spark_bench.py                  # a 100k-site import of the
                                                           # scale corpus (bench/scale_corpus.py)
    .venv/bin/python bench/spark_bench.py 20000
    .venv/bin/python bench/spark_bench.py --db f.db --run 4   # a run already clustered by
                                                              # the default engine (re-clustered
                                                              # by Spark in place)

Peak memory is the command's own process (the Spark driver's Python); Spark's JVM is a
process of its own, its peak printed beside.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from cluster_bench import facade  # noqa: E402


def stages(out: str) -> str:
    """The stage times of `facade cluster`'s summary line (Spark's own log lines aside)."""
    line = next((x for x in out.splitlines() if x.startswith("run ")), "")
    return line.partition("s: ")[2].partition(")")[0]


def digest(db: Path, run: int) -> str:
    """One hash of everything `cluster` stored for the run."""
    from crawler.store import Store

    store = Store(str(db), create=False)
    h = hashlib.sha256()
    for cluster in store.linked_clusters(run):
        h.update(json.dumps(cluster, sort_keys=True).encode())
    for cluster in store.lone_clusters(run):
        h.update(json.dumps(cluster, sort_keys=True).encode())
    key = lambda link: (link["kind"], link["value"], link["domains"])  # noqa: E731
    for link in sorted(store.links(run), key=key):
        h.update(json.dumps(link, sort_keys=True).encode())
    for domain, fingerprint in sorted(store.texts(run).items()):
        h.update(domain.encode() + fingerprint)
    h.update(json.dumps(store.events(run), sort_keys=True).encode())
    store.close()
    return h.hexdigest()


class JvmPeak:
    """The peak resident memory of the Spark JVMs that run while the block runs."""

    def __init__(self):
        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            for pid in filter(str.isdigit, os.listdir("/proc")):
                try:
                    cmd = Path(f"/proc/{pid}/cmdline").read_bytes()
                    if b"java" not in cmd or b"spark" not in cmd.lower():
                        continue
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            self.peak_mb = max(self.peak_mb, int(line.split()[1]) / 1024)
                except OSError:
                    continue

    def __enter__(self) -> JvmPeak:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def compare(default_db: Path, spark_db: Path, run: int, default_out: tuple | None) -> None:
    before = digest(default_db, run)
    if default_out is not None:
        seconds, rss, out = default_out
        print(f"default engine: {seconds:7.1f} s  {rss:7.0f} MB  ({stages(out)})")
    with JvmPeak() as jvm:
        seconds, rss, out = facade(spark_db, "cluster", "--run", str(run), "--engine", "spark")
    print(f"spark engine:   {seconds:7.1f} s  {rss:7.0f} MB + JVM {jvm.peak_mb:.0f} MB"
          f"  ({stages(out)})")
    same = digest(spark_db, run) == before
    print(f"the same clusters, evidence, fingerprints and events: {same}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("sites", type=int, nargs="?", default=100_000)
    ap.add_argument("--db", type=Path, help="a database whose --run the default engine"
                                            " clustered")
    ap.add_argument("--run", type=int)
    args = ap.parse_args()
    if args.db:
        print(f"{args.db} run {args.run}")
        compare(args.db, args.db, args.run, None)
        return
    from scale_corpus import write_weeks

    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        week1, week2, db = Path(tmp, "w1.jsonl"), Path(tmp, "w2.jsonl"), Path(tmp, "f.db")
        write_weeks(args.sites, week1, week2)
        started = time.perf_counter()
        facade(db, "import", str(week1))
        print(f"{args.sites:,} sites imported in {time.perf_counter() - started:.1f} s")
        default_out = facade(db, "cluster")
        spark_db = Path(tmp, "spark.db")
        shutil.copy(db, spark_db)
        compare(db, spark_db, 1, default_out)


if __name__ == "__main__":
    main()
