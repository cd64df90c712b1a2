"""One site's pages as a web archive captured them (the crawl's archive path).

The start page is the capture closest to ``at``; without ``at``, the latest capture whose
page is the operator's own, not a parking, seizure or error page (a seized front's last
captures are the banner). Same-site links of the pages are then fetched from captures near
the same date, breadth first, up to ``max_pages``: the archive redirects a page's URL to
its nearest capture. Every request goes through the archive's manners, the proxy and the
address policy (``rdap.fetch_bytes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from selectolax.lexbor import LexborHTMLParser

from analysis.domains import domain_of_url
from analysis.html import page_links
from analysis.platforms import page_status
from analysis.records import Page
from crawler.archive import ArchiveFailure, ArchiveService, Capture, captures, closest
from crawler.enrich import rdap

MAX_ARCHIVED_PAGE_BYTES = 10 * 1024 * 1024
MAX_CAPTURES_TRIED = 5  # captures looked at, newest first, for one that is the operator's


@dataclass
class ArchivedSite:
    domain: str
    status: str  # "ok", or "error" with a message: no capture, the archive failed
    message: str | None = None
    captured_at: str | None = None  # the start page's capture, YYYYMMDDhhmmss
    pages: list[Page] = field(default_factory=list)


def _fetch(service: ArchiveService, capture: Capture, proxy, timeout, allow_private) -> str:
    body = rdap.fetch_bytes(service.raw_url(capture), proxy, timeout, allow_private,
                            MAX_ARCHIVED_PAGE_BYTES)
    return body.decode("utf-8", "replace")


def _start(service, found: list[Capture], at, proxy, timeout, allow_private):
    """(capture, html) of the start page: closest to ``at``, else the latest that is not a
    parking or seizure page (or the latest of all, when every one is)."""
    if at:
        capture = closest(found, at)
        return capture, _fetch(service, capture, proxy, timeout, allow_private)
    fallback = None
    for capture in list(reversed(found))[:MAX_CAPTURES_TRIED]:
        html = _fetch(service, capture, proxy, timeout, allow_private)
        fallback = fallback or (capture, html)
        text = LexborHTMLParser(html).text(separator=" ")
        if page_status(text, []) is None:
            return capture, html
    return fallback


def archive_site(domain: str, service: ArchiveService, at: str | None, max_pages: int,
                 proxy: str | None, timeout: float, allow_private: bool = False, cache=None
                 ) -> ArchivedSite:
    """The site's pages from the archive; failures are the site's status, never raised.
    ``cache`` (a LookupCache) keeps CDX answers across runs, as registry answers are."""
    try:
        found = captures(service, domain, proxy, timeout, allow_private, cache=cache)
        if not found:
            return ArchivedSite(domain, "error", f"no capture of {domain} in the archive")
        start, html = _start(service, found, at, proxy, timeout, allow_private)
    except (ArchiveFailure, rdap.RDAPFailure) as exc:
        return ArchivedSite(domain, "error", f"archive: {exc}"[:300])
    site = ArchivedSite(domain, "ok", None, start.timestamp,
                        [Page(start.original, start.original, 200, html, 0)])
    queue = [(link, 1) for link in page_links(LexborHTMLParser(html), start.original)]
    seen = {start.original}
    while queue and len(site.pages) < max_pages:
        url, depth = queue.pop(0)
        if url in seen or domain_of_url(url) != domain:
            continue
        seen.add(url)
        try:
            page = _fetch(service, Capture(start.timestamp, url, None), proxy, timeout,
                          allow_private)
        except rdap.RDAPFailure:
            continue  # a page the archive does not hold: the site keeps the others
        site.pages.append(Page(url, url, 200, page, depth))
        queue += [(link, depth + 1) for link in page_links(LexborHTMLParser(page), url)]
    return site
