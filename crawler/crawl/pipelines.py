"""The store pipeline: pages and site outcomes go into the run's SQLite store as they come."""

from __future__ import annotations

from scrapy.exceptions import NotConfigured

from crawler.crawl.items import AssetItem, PageItem, SiteResult
from crawler.store import Store


class StorePipeline:
    def __init__(self, store_path: str, run_id: int, progress=None):
        self.store = Store(store_path)
        self.run_id = run_id
        self.progress = progress

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        if not s.get("FACADE_STORE_PATH") or s.get("FACADE_RUN_ID") is None:
            raise NotConfigured("FACADE_STORE_PATH and FACADE_RUN_ID are not set")
        return cls(s["FACADE_STORE_PATH"], int(s["FACADE_RUN_ID"]), s.get("FACADE_PROGRESS"))

    def process_item(self, item):
        if isinstance(item, PageItem):
            self.store.add_page(self.run_id, item.site, item.page)
        elif isinstance(item, AssetItem):
            self.store.add_asset(self.run_id, item.site, item.asset)
        elif isinstance(item, SiteResult):
            self.store.set_site(self.run_id, item.site, status=item.status, message=item.message,
                                start_url=item.start_url, redirects_to=item.redirects_to)
            if self.progress:
                self.progress(item.site, item.status)
        return item

    def close_spider(self):
        self.store.close()
