"""--proxy for every request the crawl makes, whoever made it: the spider's pages and assets,
redirects, and Scrapy's own robots.txt requests (which carry none of the spider's meta)."""

from __future__ import annotations


class ProxyEverything:
    def __init__(self, proxy: str | None):
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings.get("FACADE_PROXY"))

    def process_request(self, request):
        if self.proxy:
            request.meta.setdefault("proxy", self.proxy)
        return None
