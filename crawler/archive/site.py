"""One site's pages and files as a web archive captured them (the crawl's archive path).

The start page is the capture closest to ``at``; without ``at``, the latest capture whose
page is the operator's own, not a parking, seizure or error page (a seized front's last
captures are the banner). Same-site links of the pages are then fetched from captures near
the same date, breadth first, up to ``max_pages``, and the files the pages use (favicon,
scripts, stylesheets, images) are hashed as the live crawl hashes them.

The archive answers a URL with its capture nearest to the date asked, which may be from
another owner: the parking service's favicon captured after the takedown, a page captured
after the domain was sold. So a page or file is used only if it was captured within the
start page's *window*: not after the start page's next capture with other content (the
banner that replaced it), and not more than a year before it.

Every request goes through the archive's manners, the proxy and the address policy.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from selectolax.lexbor import LexborHTMLParser

from analysis.assets import hashed_asset, wanted_assets
from analysis.domains import domain_of_url
from analysis.html import page_links
from analysis.platforms import page_status
from analysis.records import Asset, Page
from crawler.archive.service import (
    ArchiveFailure,
    ArchiveService,
    Capture,
    captures,
    closest,
    replay,
)
from crawler.enrich import rdap

MAX_ARCHIVED_PAGE_BYTES = 10 * 1024 * 1024
MAX_CAPTURES_TRIED = 5  # captures looked at, newest first, for one that is the operator's
OLDEST_ACCEPTED = timedelta(days=365)  # a file captured long before the page: maybe not theirs


@dataclass
class ArchivedSite:
    domain: str
    status: str  # "ok", or "error" with a message: no capture, the archive failed
    message: str | None = None
    captured_at: str | None = None  # the start page's capture, YYYYMMDDhhmmss
    pages: list[Page] = field(default_factory=list)
    assets: list[Asset] = field(default_factory=list)
    refused: int = 0  # pages and files whose nearest capture was outside the window


def _when(stamp: str) -> datetime:
    return datetime.strptime(stamp.ljust(14, "0")[:14], "%Y%m%d%H%M%S")


@dataclass(frozen=True)
class Window:
    """The captures that belong with a start page: from a year before it up to (not
    including) its next capture with other content, if there is one."""

    start: str
    end: str | None

    @classmethod
    def around(cls, start: Capture, found: list[Capture]) -> Window:
        later = [c for c in found if c.timestamp > start.timestamp
                 and (c.digest is None or start.digest is None or c.digest != start.digest)]
        return cls(start.timestamp, min((c.timestamp for c in later), default=None))

    def holds(self, stamp: str) -> bool:
        if self.end is not None and stamp >= self.end:
            return False
        return _when(stamp) >= _when(self.start) - OLDEST_ACCEPTED


@dataclass(frozen=True)
class ArchiveReader:
    """How to read sites from one archive: the date wanted and the crawl's limits."""

    service: ArchiveService
    at: str | None
    max_pages: int
    proxy: str | None
    timeout: float
    allow_private: bool = False
    cache: object = None  # a LookupCache of CDX answers, kept across runs
    max_assets: int = 15
    max_asset_bytes: int = 2 * 1024 * 1024

    def _get(self, capture: Capture, cap: int = MAX_ARCHIVED_PAGE_BYTES):
        return replay(self.service, capture, self.proxy, self.timeout, self.allow_private, cap)

    def _start(self, found: list[Capture]):
        """(capture, html) of the start page: closest to ``at``, else the latest that is not
        a parking or seizure page (or the latest of all, when every one is)."""
        if self.at:
            capture = closest(found, self.at)
            return capture, self._get(capture).body.decode("utf-8", "replace")
        fallback = None
        for capture in list(reversed(found))[:MAX_CAPTURES_TRIED]:
            html = self._get(capture).body.decode("utf-8", "replace")
            fallback = fallback or (capture, html)
            if page_status(LexborHTMLParser(html).text(separator=" "), []) is None:
                return capture, html
        return fallback

    def site(self, domain: str) -> ArchivedSite:
        """The site's pages and files; failures are the site's status, never raised."""
        try:
            found = captures(self.service, domain, self.proxy, self.timeout,
                             self.allow_private, cache=self.cache)
            if not found:
                return ArchivedSite(domain, "error", f"no capture of {domain} in the archive")
            start, html = self._start(found)
        except (ArchiveFailure, rdap.RDAPFailure) as exc:
            return ArchivedSite(domain, "error", f"archive: {exc}"[:300])
        window = Window.around(start, found)
        site = ArchivedSite(domain, "ok", None, start.timestamp,
                            [Page(start.original, start.original, 200, html, 0)])
        holder = self.service.holding(start)
        if holder is not None:  # else an archive whose other captures cannot be named
            rest = replace(self, service=holder)
            rest._pages(site, window, html, start.original)
            rest._assets(site, window)
        return site

    def _pages(self, site: ArchivedSite, window: Window, html: str, url: str) -> None:
        queue = [(link, 1) for link in page_links(LexborHTMLParser(html), url)]
        seen = {url}
        while queue and len(site.pages) < self.max_pages:
            url, depth = queue.pop(0)
            if url in seen or domain_of_url(url) != site.domain:
                continue
            seen.add(url)
            try:
                got = self._get(Capture(window.start, url, None))
            except ArchiveFailure:
                continue  # a page the archive does not hold: the site keeps the others
            page = got.body.decode("utf-8", "replace")
            tree = LexborHTMLParser(page)
            if not window.holds(got.timestamp) or page_status(tree.text(separator=" "), []):
                site.refused += 1  # another owner's page, or the banner that replaced it
                continue
            site.pages.append(Page(url, url, 200, page, depth))
            queue += [(link, depth + 1) for link in page_links(tree, url)]

    def _assets(self, site: ArchivedSite, window: Window) -> None:
        wanted: dict[str, str] = {}
        for page in site.pages:
            for url, kind in wanted_assets(LexborHTMLParser(page.html), page.url,
                                           page.depth == 0):
                if domain_of_url(url) == site.domain and len(wanted) < self.max_assets:
                    wanted.setdefault(url, kind)
        for url, kind in wanted.items():
            try:
                got = self._get(Capture(window.start, url, None), self.max_asset_bytes)
            except ArchiveFailure:
                continue  # never captured: a missing file says nothing about the site
            if not window.holds(got.timestamp):
                site.refused += 1
                continue
            site.assets.append(hashed_asset(url, kind, 200, got.body))
