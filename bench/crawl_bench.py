"""Benchmark: `facade crawl` against a bare Scrapy spider on the same lab world, one run.

Starts a lab world of 500+ sites, runs `facade crawl` over it (DNS, WHOIS, certificates,
link discovery, page storage: the whole product), then a bare Scrapy spider that fetches the
very pages facade stored, through the same proxy, with the same concurrency and no
extraction or storage. Both are timed as whole processes; prints pages/s and the ratio.

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
        sites = con.execute("SELECT count(*) FROM sites").fetchone()[0]
        url_file = Path(tmp) / "urls.txt"
        url_file.write_text("\n".join(urls))
        script = Path(tmp) / "bare.py"
        script.write_text(BARE_SPIDER)
        started = time.perf_counter()
        out = subprocess.run([sys.executable, str(script), str(url_file), lab.proxy_url,
                              str(args.concurrency)], check=True, capture_output=True,
                             text=True, cwd=ROOT)
        bare_s = time.perf_counter() - started
        bare_pages = int(out.stdout.strip().splitlines()[-1])
    facade_rate, bare_rate = len(urls) / facade_s, bare_pages / bare_s
    print(f"lab world: {sites} sites, concurrency {args.concurrency}")
    print(f"facade crawl : {len(urls):6d} pages in {facade_s:6.1f}s = {facade_rate:6.1f} pages/s"
          " (whole command: DNS, WHOIS, TLS, links, store)")
    print(f"bare scrapy  : {bare_pages:6d} pages in {bare_s:6.1f}s = {bare_rate:6.1f} pages/s"
          " (same URLs, same proxy, no extraction)")
    print(f"ratio facade/bare: {facade_rate / bare_rate:.2f}")


if __name__ == "__main__":
    main()
