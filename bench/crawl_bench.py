"""Benchmark: `facade crawl` against a bare Scrapy spider on the same lab world, one run.

Starts a lab world of 500+ sites, runs `facade crawl` over it (DNS, RDAP/WHOIS, certificates,
link discovery, favicons and assets, storage: the whole product), then a bare Scrapy spider
that fetches the very URLs facade fetched (pages alone; then pages + assets with robots.txt
obeyed, the same work facade does), through the same proxy, with the same concurrency and no
extraction or storage. All are timed as whole processes; prints pages/s, requests/s and the
ratios.

A shared VM's speed drifts by a third from one minute to the next, so one pair of runs says
little: the pair is run ``--rounds`` times (the order of the two swapped every other round,
so neither always runs first) and the median of the rounds' ratios is the figure.

    .venv/bin/python bench/crawl_bench.py [--sites 500] [--concurrency 16] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUARD = ROOT / "tests" / "loopback_guard"  # every process started here stays on loopback


def guarded(extra: dict | None = None) -> dict:
    env = {**os.environ, **(extra or {})}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), env.get("PYTHONPATH")]))
    return env

BARE_SPIDER = '''
import sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

urls = open(sys.argv[1]).read().split()
proxy, concurrency, robots = sys.argv[2], int(sys.argv[3]), sys.argv[4] == "obey"
count = 0

class Bare(scrapy.Spider):
    name = "bare"
    async def start(self):
        for u in urls:
            yield scrapy.Request(u, meta={"proxy": proxy}, dont_filter=True)
    def parse(self, response):
        global count
        count += 1

p = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": concurrency,
                    "CONCURRENT_REQUESTS_PER_DOMAIN": 4, "TELNETCONSOLE_ENABLED": False,
                    "HTTPERROR_ALLOW_ALL": True, "COOKIES_ENABLED": False,
                    "ROBOTSTXT_OBEY": robots})
p.crawl(Bare)
p.start()
print(count)
'''


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sites", type=int, default=500)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from crawler.lab.server import LabServer

    with tempfile.TemporaryDirectory() as tmp, LabServer(seed=1, sites=args.sites,
                                                         folder=Path(tmp) / "lab") as lab:
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_SPIDER)

        def facade(n: int) -> tuple[Path, float]:
            db = Path(tmp) / f"bench{n}.db"
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", str(lab.seeds_file),
                            *lab.crawl_args(), "--db", str(db), "--quiet", "--timeout", "10",
                            "--concurrency", str(args.concurrency)], check=True, cwd=ROOT,
                           env=guarded(), stdout=subprocess.DEVNULL)
            return db, time.perf_counter() - started

        def bare(fetch: list[str], robots: str) -> tuple[int, float]:
            url_file = Path(tmp) / "urls.txt"
            url_file.write_text("\n".join(fetch))
            started = time.perf_counter()
            # Every request through the lab proxy, Scrapy's own robots.txt requests included
            # (they carry no meta): nothing may resolve or connect beyond loopback.
            env = guarded({"http_proxy": lab.proxy_url, "https_proxy": lab.proxy_url,
                           "no_proxy": ""})
            out = subprocess.run([sys.executable, str(script), str(url_file), lab.proxy_url,
                                  str(args.concurrency), robots], check=True, capture_output=True,
                                 text=True, cwd=ROOT, env=env)
            return int(out.stdout.strip().splitlines()[-1]), time.perf_counter() - started

        db, facade_s = facade(0)
        con = sqlite3.connect(db)
        urls = [u for (u,) in con.execute("SELECT url FROM pages ORDER BY id")]
        assets = [u for (u,) in con.execute("SELECT url FROM assets ORDER BY rowid")]
        sites = con.execute("SELECT count(*) FROM sites").fetchone()[0]
        con.close()
        total = len(urls) + len(assets)
        print(f"lab world: {sites} sites, {len(urls)} pages + {len(assets)} assets,"
              f" concurrency {args.concurrency}")
        page_ratios, request_ratios = [], []
        for n in range(args.rounds):
            order = ("facade", "bare") if n % 2 == 0 else ("bare", "facade")
            for which in order:
                if which == "bare":
                    bare_pages, bare_s = bare(urls, "ignore")
                    bare_all, bare_all_s = bare(urls + assets, "obey")
                elif n:  # round 1's facade crawl is the one that gave the URLs
                    facade_s = facade(n)[1]
            facade_rate, bare_rate = len(urls) / facade_s, bare_pages / bare_s
            page_ratios.append(facade_rate / bare_rate)
            request_ratios.append((total / facade_s) / (bare_all / bare_all_s))
            print(f"round {n + 1} ({order[0]} first):"
                  f" facade {facade_s:5.1f}s = {facade_rate:6.1f} pages/s,"
                  f" {total / facade_s:6.1f} requests/s (whole command);"
                  f" bare pages {bare_s:5.1f}s = {bare_rate:6.1f} pages/s;"
                  f" bare all {bare_all_s:5.1f}s = {bare_all / bare_all_s:6.1f} requests/s;"
                  f" ratio requests/s {request_ratios[-1]:.2f}")
    print("bare all = the same pages and assets, robots.txt obeyed as facade does")
    print(f"ratio facade/bare pages/s: median {statistics.median(page_ratios):.2f};"
          f" requests/s: median {statistics.median(request_ratios):.2f}"
          f" (rounds: {', '.join(f'{r:.2f}' for r in request_ratios)})")


if __name__ == "__main__":
    main()
