"""A resumed crawl replays what it already fetched: a request whose page the store holds is
answered from the store, so the spider rebuilds the site (links, redirects, outcome) without
a request leaving the machine, and asks the network only for what is missing.

Built with ``from_crawler``; with nothing stored it is switched off (``NotConfigured``).
"""

from __future__ import annotations

from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse

from crawler.crawl.settings import shared

# Headers of the stored response that no longer describe the stored (decoded) body.
_DROP = {"content-encoding", "content-length", "transfer-encoding"}


class Stored:
    """Pages by the URL they were asked for, and asset URLs, of a run's unfinished sites."""

    def __init__(self, pages: dict, assets: set[str]):
        self.pages, self.assets = pages, assets
        self.replayed = 0


class ReplayStored:
    def __init__(self, stored: Stored):
        self.stored = stored

    @classmethod
    def from_crawler(cls, crawler):
        stored = shared(crawler.settings, "FACADE_STORED", None)
        if stored is None or not stored.pages:
            raise NotConfigured
        return cls(stored)

    def process_request(self, request):
        page = self.stored.pages.pop(request.url, None)
        if page is None:
            return None
        self.stored.replayed += 1
        if page.redirect_urls:
            request.meta["redirect_urls"] = list(page.redirect_urls)
        headers = {k: v for k, v in page.headers.items() if k.lower() not in _DROP}
        return HtmlResponse(url=page.final_url or page.url, status=page.status,
                            headers=headers, body=page.html.encode("utf-8"),
                            encoding="utf-8", request=request)
