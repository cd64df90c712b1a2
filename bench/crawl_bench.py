"""Benchmark: `facade crawl` against a bare Scrapy spider on the same lab world, one run.

Starts a lab world of 500+ sites, runs `facade crawl` over it (DNS, RDAP/WHOIS, certificates,
link discovery, favicons and assets, storage: the whole product), then a bare Scrapy spider
that fetches the very URLs facade fetched (pages alone; then pages + assets with robots.txt
obeyed, the same work facade does), through the same proxy, with the same concurrency and no
extraction or storage. All are timed as whole
processes; prints pages/s, requests/s and the ratios.

    .venv/bin/python bench/crawl_bench.py [--sites 500] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
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
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from crawler.lab.server import LabServer

    with tempfile.TemporaryDirectory() as tmp, LabServer(seed=1, sites=args.sites,
                                                         folder=Path(tmp) / "lab") as lab:
        db = Path(tmp) / "bench.db"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "crawler.cli", "crawl", str(lab.seeds_file),
                        *lab.crawl_args(), "--db", str(db), "--quiet", "--timeout", "10",
                        "--concurrency", str(args.concurrency)], check=True, cwd=ROOT,
                       env=guarded())
        facade_s = time.perf_counter() - started
        con = sqlite3.connect(db)
        urls = [u for (u,) in con.execute("SELECT url FROM pages ORDER BY id")]
        assets = [u for (u,) in con.execute("SELECT url FROM assets ORDER BY rowid")]
        sites = con.execute("SELECT count(*) FROM sites").fetchone()[0]
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_SPIDER)

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

        bare_pages, bare_s = bare(urls, "ignore")
        bare_all, bare_all_s = bare(urls + assets, "obey")
    total = len(urls) + len(assets)
    facade_rate, bare_rate = len(urls) / facade_s, bare_pages / bare_s
    print(f"lab world: {sites} sites, concurrency {args.concurrency}")
    print(f"facade crawl : {len(urls):6d} pages + {len(assets)} assets in {facade_s:6.1f}s ="
          f" {facade_rate:6.1f} pages/s, {total / facade_s:6.1f} requests/s (whole command)")
    print(f"bare, pages  : {bare_pages:6d} pages in {bare_s:6.1f}s = {bare_rate:6.1f} pages/s")
    print(f"bare, all    : {bare_all:6d} requests in {bare_all_s:6.1f}s ="
          f" {bare_all / bare_all_s:6.1f} requests/s (the same pages and assets, robots.txt"
          " obeyed as facade does)")
    print(f"ratio facade/bare pages/s: {facade_rate / bare_rate:.2f};"
          f" requests/s: {(total / facade_s) / (bare_all / bare_all_s):.2f}")


if __name__ == "__main__":
    main()
