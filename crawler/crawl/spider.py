"""The facade spider: each seed's start page (https, then http), then same-site links within
depth and page caps. Emits a PageItem per response and a SiteResult once a site is done."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import scrapy
from scrapy.http import TextResponse
from selectolax.lexbor import LexborHTMLParser

from analysis.assets import hashed_asset, wanted_assets
from analysis.domains import domain_of_url
from analysis.html import page_links
from analysis.records import Page
from crawler.crawl.failures import classify, is_connection_failure, squid_error
from crawler.crawl.items import AssetItem, PageItem, SiteResult
from crawler.crawl.settings import shared

HTML_TYPES = (b"text/html", b"application/xhtml")


@dataclass
class SiteState:
    domain: str
    pending: int = 0
    scheduled: int = 0
    ok_pages: int = 0
    responses: int = 0
    last_http_status: int | None = None
    error: tuple[str, str] | None = None
    blocked: str | None = None
    start_url: str | None = None
    redirects_to: str | None = None
    done: bool = False
    seen: set[str] = field(default_factory=set)
    assets: set[str] = field(default_factory=set)

    def outcome(self) -> tuple[str, str | None]:
        if self.blocked:  # any request of the site led to a non-public address
            return "blocked", self.blocked
        if self.ok_pages:
            return "ok", None
        if self.responses:
            return "http_error", f"HTTP {self.last_http_status}: no page answered 2xx"
        if self.error:
            return self.error
        return "error", "no response"


class SiteSpider(scrapy.Spider):
    name = "facade"

    def __init__(self, gate=None, **kwargs):
        """Crawl the domains a DnsGate releases as their DNS answers arrive."""
        super().__init__(**kwargs)
        self.gate = gate
        self.states: dict[str, SiteState] = {}
        self._room: asyncio.Event | None = None  # set when a site finishes

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.max_pages = s.getint("FACADE_MAX_PAGES")
        spider.max_depth = s.getint("FACADE_DEPTH")
        spider.proxy = s.get("FACADE_PROXY")
        spider.html_cap = s.getint("FACADE_STORED_HTML_BYTES")
        spider.max_assets = s.getint("FACADE_MAX_ASSETS")
        spider.max_asset_bytes = s.getint("FACADE_MAX_ASSET_BYTES")
        spider.sites_in_flight = s.getint("FACADE_SITES_IN_FLIGHT")
        stored = shared(s, "FACADE_STORED", None)
        spider.stored_assets = stored.assets if stored is not None else set()
        return spider

    async def start(self):
        self._room = asyncio.Event()
        async for domain in self.gate.crawlable():
            while len(self.states) >= self.sites_in_flight:  # a site starts as one finishes
                self._room.clear()
                await self._room.wait()
            yield self._start_request(domain)

    def _start_request(self, domain: str):
        state = self.states[domain] = SiteState(domain)
        return self._request(f"https://{domain}/", state, 0, start="https")

    def _request(self, url: str, state: SiteState, depth: int, start: str | None = None):
        state.pending += 1
        state.scheduled += 1
        state.seen.add(url)
        meta = {"site": state.domain, "page_depth": depth, "start": start}
        return scrapy.Request(url, callback=self.parse_page, errback=self.on_error, meta=meta,
                              dont_filter=True)

    def _finish_if_idle(self, state: SiteState):
        if state.pending == 0 and not state.done:
            state.done = True
            del self.states[state.domain]  # finished: nothing of it need stay in memory
            if self._room is not None:
                self._room.set()
            status, message = state.outcome()
            yield SiteResult(state.domain, status, message, state.start_url, state.redirects_to)

    def parse_page(self, response):
        meta = response.meta
        state = self.states[meta["site"]]
        state.pending -= 1
        proxy_error = squid_error(response.headers) if self.proxy else None
        if proxy_error and response.status >= 500:
            state.error = proxy_error
            yield from self._finish_if_idle(state)
            return
        is_text = isinstance(response, TextResponse)
        html = response.text if is_text else ""
        page = Page(
            url=(meta.get("redirect_urls") or [response.url])[0],
            final_url=response.url,
            status=response.status,
            html=html[: self.html_cap],
            depth=meta["page_depth"],
            headers={k.decode("latin-1"): v[0].decode("latin-1")
                     for k, v in response.headers.items() if v},
            truncated=len(html) > self.html_cap,
            redirect_urls=list(meta.get("redirect_urls") or []),
        )
        yield PageItem(state.domain, page)
        state.responses += 1
        ok = 200 <= response.status < 300
        if ok:
            state.ok_pages += 1
        else:
            state.last_http_status = response.status
        if meta.get("start"):
            state.start_url = response.url
            landed = domain_of_url(response.url)
            if landed and landed != state.domain:
                state.redirects_to = landed
        content_type = response.headers.get(b"Content-Type", b"").lower()
        own_html = (ok and is_text and state.redirects_to is None
                    and content_type.startswith(HTML_TYPES))
        if own_html:
            tree = LexborHTMLParser(response.text)
            if meta["page_depth"] < self.max_depth:
                for link in page_links(tree, response.url):
                    if state.scheduled >= self.max_pages:
                        break
                    if link not in state.seen and domain_of_url(link) == state.domain:
                        yield self._request(link, state, meta["page_depth"] + 1)
            yield from self._asset_requests(tree, response.url, state, meta["page_depth"] == 0)
        yield from self._finish_if_idle(state)

    # ---- favicon and same-site assets: hashed, not stored ------------------------------

    def _asset_requests(self, tree, base_url: str, state: SiteState, start_page: bool):
        wanted = wanted_assets(tree, base_url, start_page)
        for url, kind in wanted:
            if len(state.assets) >= self.max_assets:
                return
            if url in state.assets or domain_of_url(url) != state.domain:
                continue
            if url in self.stored_assets:  # a resumed crawl has its hash already
                state.assets.add(url)
                continue
            state.assets.add(url)
            state.pending += 1
            meta = {"site": state.domain, "asset": kind,
                    "download_maxsize": self.max_asset_bytes}
            yield scrapy.Request(url, callback=self.parse_asset, errback=self.asset_failed,
                                 meta=meta, dont_filter=True, priority=-1)

    def parse_asset(self, response):
        state = self.states[response.meta["site"]]
        state.pending -= 1
        yield AssetItem(state.domain, hashed_asset(response.url, response.meta["asset"],
                                                   response.status, response.body))
        yield from self._finish_if_idle(state)

    def asset_failed(self, failure):
        state = self.states[failure.request.meta["site"]]
        state.pending -= 1  # a missing asset says nothing about the site's status...
        status, message = classify(failure)
        if status == "blocked":  # ...but one on a private address blocks it
            state.blocked = message
        yield from self._finish_if_idle(state)

    def on_error(self, failure):
        request = failure.request
        state = self.states[request.meta["site"]]
        state.pending -= 1
        status, message = classify(failure)
        if status == "blocked":
            state.blocked = message
        elif request.meta.get("start") == "https" and is_connection_failure(failure):
            yield self._request(f"http://{state.domain}/", state, 0, start="http")
        else:
            state.error = (status, message)
        yield from self._finish_if_idle(state)

    def unfinished(self) -> list[SiteResult]:
        """Outcomes of sites whose requests never all came back (the crawl was stopped)."""
        out = []
        for state in self.states.values():
            if not state.done:
                status, message = state.outcome()
                if status == "error" and message == "no response":
                    message = "crawl ended before the site answered"
                out.append(SiteResult(state.domain, status, message, state.start_url,
                                      state.redirects_to))
        return out
