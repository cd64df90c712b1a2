"""Benchmark: what reading sites from a web archive costs per site, against a live crawl.

The lab's archived sites (seized, parked, dead; with their captures in the lab's
Wayback-compatible archive) and as many live ones, crawled live, then `--from-archive`, then
live with `--archive-fallback`: seconds per site and archive requests per site.

    .venv/bin/python bench/archive_bench.py            # the 140-site world
    .venv/bin/python bench/archive_bench.py 1000       # a larger world (more archived sites)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "tests" / "loopback_guard"
sys.path.insert(0, str(ROOT))


def main() -> None:
    from crawler.lab.server import LabServer

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 140
    env = {**os.environ, "PYTHONPATH": str(GUARD)}
    with tempfile.TemporaryDirectory() as tmp, LabServer(seed=1, sites=size,
                                                         folder=Path(tmp) / "lab") as lab:
        archived = [d for d, s in lab.world.sites.items() if s.template or s.dead]
        live = [d for d, s in lab.world.sites.items()
                if s.expected_status == "ok" and s.role == "seed"][:len(archived)]
        seeds = Path(tmp) / "seeds.txt"
        seeds.write_text("\n".join(archived + live) + "\n")
        print(f"{len(archived)} archived + {len(live)} live sites")
        print(f"{'mode':18s} {'s/site':>7s} {'archive requests/site':>22s}"
              f" {'per archived site':>18s}")
        for mode, extra in (("live", []), ("--from-archive", ["--from-archive",
                                                             lab.archive_url]),
                            ("--archive-fallback", ["--archive-fallback", lab.archive_url])):
            before = sum(1 for kind, _ in lab.world.lookups if kind == "archive")
            started = time.monotonic()
            subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", str(seeds),
                            *lab.crawl_args(), *extra, "--new-run", "--quiet",
                            "--db", str(Path(tmp) / "b.db")], cwd=ROOT, env=env, check=True,
                           capture_output=True)
            seconds = time.monotonic() - started
            asked = sum(1 for kind, _ in lab.world.lookups if kind == "archive") - before
            sites = len(archived) + len(live)
            print(f"{mode:18s} {seconds / sites:7.3f} {asked / sites:22.1f}"
                  f" {asked / len(archived):18.1f}")


if __name__ == "__main__":
    main()
