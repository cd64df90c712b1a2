"""--proxy for every request the crawl makes, whoever made it: the spider's pages and assets,
redirects, and Scrapy's own robots.txt requests (which carry none of the spider's meta)."""

from __future__ import annotations

from scrapy.exceptions import NotConfigured


class ProxyEverything:
    def __init__(self, proxy: str):
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler):
        proxy = crawler.settings.get("FACADE_PROXY")
        if not proxy:
            raise NotConfigured("no --proxy")
        return cls(proxy)

    def process_request(self, request):
        request.meta.setdefault("proxy", self.proxy)
        return None
