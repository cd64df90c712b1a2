"""The store pipeline: pages, assets and site outcomes go into the run's SQLite store.

Pages and assets wait in memory until a site finishes (or ``FLUSH_ITEMS`` are waiting) and
are then written in one transaction with that outcome: a transaction per page cost the
crawl about a tenth of its speed. The writing (compressing, hashing, SQLite) is done by a
thread of its own, off the reactor's, and mostly on the other core: zlib, hashlib and
SQLite let go of the GIL while they work. A site's outcome is never stored before its
pages, so a crawl killed in between resumes the site (its unsaved pages are fetched
again)."""

from __future__ import annotations

import queue
import threading

from scrapy.exceptions import NotConfigured

from crawler.crawl.items import AssetItem, PageItem, SiteResult
from crawler.store import Store

FLUSH_ITEMS = 256


class StorePipeline:
    def __init__(self, store_path: str, run_id: int, progress=None):
        self.store = Store(store_path)
        self.run_id = run_id
        self.progress = progress
        self.pages: list[tuple[str, object]] = []
        self.assets: list[tuple[str, object]] = []
        self.failure: Exception | None = None
        self.jobs: queue.Queue = queue.Queue(maxsize=64)  # the crawl waits if writing lags
        self.writer = threading.Thread(target=self._write, name="facade-store", daemon=True)
        self.writer.start()

    def _write(self) -> None:
        while (job := self.jobs.get()) is not None:
            try:
                self.store.write_crawled(self.run_id, *job)
            except Exception as exc:  # raised when the crawl closes; the rest is still written
                self.failure = self.failure or exc

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.get("FACADE_STORE_PATH") or s.get("FACADE_RUN_ID") is None:
            raise NotConfigured("FACADE_STORE_PATH and FACADE_RUN_ID are not set")
        return cls(s["FACADE_STORE_PATH"], int(s["FACADE_RUN_ID"]), s.get("FACADE_PROGRESS"))

    def process_item(self, item):
        if isinstance(item, PageItem):
            self.pages.append((item.site, item.page))
        elif isinstance(item, AssetItem):
            self.assets.append((item.site, item.asset))
        elif isinstance(item, SiteResult):
            self.flush(item)
            if self.progress:
                self.progress(item.site, item.status)
        if len(self.pages) + len(self.assets) >= FLUSH_ITEMS:
            self.flush()
        return item

    def flush(self, outcome: SiteResult | None = None) -> None:
        site = None if outcome is None else (
            outcome.site, {"status": outcome.status, "message": outcome.message,
                           "start_url": outcome.start_url, "redirects_to": outcome.redirects_to})
        pages, assets, self.pages, self.assets = self.pages, self.assets, [], []
        if pages or assets or site:
            self.jobs.put((pages, assets, site))

    def close_spider(self):
        self.flush()
        self.jobs.put(None)
        self.writer.join()
        self.store.close()
        if self.failure is not None:
            raise self.failure
