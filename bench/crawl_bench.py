"""Benchmark: `facade crawl` against a bare Scrapy spider on the same lab world, one run.

Starts a lab world of 500+ sites, runs `facade crawl` over it (DNS, RDAP/WHOIS, certificates,
link discovery, favicons and assets, storage: the whole product), then a bare Scrapy spider
that fetches the very URLs facade fetched (pages, then pages + assets), through the same
proxy, with the same concurrency and no extraction or storage. All are timed as whole
processes; prints pages/s, requests/s and the ratios.

    .venv/bin/python bench/crawl_bench.py [--sites 500] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE_SPIDER = '''
import sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

urls = open(sys.argv[1]).read().split()
proxy, concurrency = sys.argv[2], int(sys.argv[3])
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
                    "ROBOTSTXT_OBEY": False})
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
                        "--concurrency", str(args.concurrency)], check=True, cwd=ROOT)
        facade_s = time.perf_counter() - started
        con = sqlite3.connect(db)
        urls = [u for (u,) in con.execute("SELECT url FROM pages ORDER BY id")]
        assets = [u for (u,) in con.execute("SELECT url FROM assets ORDER BY rowid")]
        sites = con.execute("SELECT count(*) FROM sites").fetchone()[0]
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_SPIDER)

        def bare(fetch: list[str]) -> tuple[int, float]:
            url_file = Path(tmp) / "urls.txt"
            url_file.write_text("\n".join(fetch))
            started = time.perf_counter()
            out = subprocess.run([sys.executable, str(script), str(url_file), lab.proxy_url,
                                  str(args.concurrency)], check=True, capture_output=True,
                                 text=True, cwd=ROOT)
            return int(out.stdout.strip().splitlines()[-1]), time.perf_counter() - started

        bare_pages, bare_s = bare(urls)
        bare_all, bare_all_s = bare(urls + assets)
    total = len(urls) + len(assets)
    facade_rate, bare_rate = len(urls) / facade_s, bare_pages / bare_s
    print(f"lab world: {sites} sites, concurrency {args.concurrency}")
    print(f"facade crawl : {len(urls):6d} pages + {len(assets)} assets in {facade_s:6.1f}s ="
          f" {facade_rate:6.1f} pages/s, {total / facade_s:6.1f} requests/s (whole command)")
    print(f"bare, pages  : {bare_pages:6d} pages in {bare_s:6.1f}s = {bare_rate:6.1f} pages/s")
    print(f"bare, all    : {bare_all:6d} requests in {bare_all_s:6.1f}s ="
          f" {bare_all / bare_all_s:6.1f} requests/s (the same pages and assets)")
    print(f"ratio facade/bare pages/s: {facade_rate / bare_rate:.2f};"
          f" requests/s: {(total / facade_s) / (bare_all / bare_all_s):.2f}")


if __name__ == "__main__":
    main()
