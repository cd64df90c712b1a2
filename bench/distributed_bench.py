"""Benchmark: one lab world crawled by 1, 2 and 3 `facade worker`s from a Redis frontier into
a PostgreSQL store (both real servers, started here), beside a single `facade crawl` into
PostgreSQL and into SQLite. Prints sites/s of each (from the crawl command's start to its
end: queueing, the workers' crawl, finishing the run) and checks that every crawl found the
same statuses.

On one machine the workers share its cores with the lab world, PostgreSQL and Redis: the
figure says what the frontier costs and how workers add up here, not what machines of their
own would give.

    .venv/bin/python bench/distributed_bench.py                 # 600 sites
    .venv/bin/python bench/distributed_bench.py --sites 1000 --workers 1 2 3
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def env() -> dict:
    out = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    out["PYTHONPATH"] = str(ROOT / "tests" / "loopback_guard")
    return out


def command(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], cwd=ROOT, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(proc: subprocess.Popen) -> str:
    out, err = proc.communicate()
    if proc.returncode:
        raise SystemExit(f"{' '.join(proc.args[3:5])} failed:\n{out}\n{err[-3000:]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=600)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    args = ap.parse_args()
    from crawler.frontier.queue import Frontier
    from crawler.lab.server import LabServer
    from crawler.lab.services import PostgresServer, RedisServer
    from crawler.store import Store

    with tempfile.TemporaryDirectory() as tmp, \
            LabServer(seed=1, sites=args.sites, folder=Path(tmp) / "lab") as lab, \
            PostgresServer(Path(tmp) / "pg") as pg, RedisServer(Path(tmp) / "redis") as redis:
        crawl = [str(lab.seeds_file), *lab.crawl_args(), "--timeout", "10", "--quiet"]
        statuses = {}
        rows = []

        def single(name: str, db: str) -> None:
            started = time.perf_counter()
            finish(command("crawl", *crawl, "--db", db))
            rows.append((name, time.perf_counter() - started))
            statuses[name] = {s["domain"]: s["status"] for s in Store(db).sites(1)}

        single("single crawl, SQLite", str(Path(tmp) / "single.db"))
        single("single crawl, PostgreSQL", pg.create_database("single"))
        for count in args.workers:
            db = pg.create_database(f"workers{count}")
            started = time.perf_counter()
            coordinator = command("crawl", *crawl, "--db", db, "--frontier", redis.url)
            frontier = Frontier(redis.url)
            while frontier.run() is None:
                time.sleep(0.05)
            workers = [command("worker", "--frontier", redis.url, "--db", db, "--quiet")
                       for _ in range(count)]
            shares = [finish(w).split(", ")[1].split()[0] for w in workers]
            finish(coordinator)
            name = f"{count} worker{'s' if count > 1 else ''}"
            rows.append((f"{name} ({'+'.join(shares)} sites)", time.perf_counter() - started))
            statuses[name] = {s["domain"]: s["status"] for s in Store(db).sites(1)}
        sites = len(next(iter(statuses.values())))
        print(f"lab world: {sites} sites; 2 cores shared by the lab, PostgreSQL, Redis and"
              " the crawlers")
        base = rows[0][1]
        for name, seconds in rows:
            print(f"  {name:40s} {seconds:6.1f}s  {sites / seconds:6.1f} sites/s"
                  f"  ({base / seconds:.2f}x the single SQLite crawl)")
        same = all(s == statuses["single crawl, SQLite"] for s in statuses.values())
        print(f"every crawl found the same status for every site: {same}")


if __name__ == "__main__":
    main()
