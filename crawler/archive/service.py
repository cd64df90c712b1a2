"""Web archives through the Wayback Machine's CDX API and raw (``id_``) replay, or through
Memento TimeMaps (RFC 7089) for aggregators and archives without a CDX server.

An archive is named by its replay prefix: ``https://web.archive.org/web/`` (its CDX server is
``https://web.archive.org/cdx/search/cdx``), or a pywb collection ``http://host/coll/``
(CDX at ``http://host/coll/cdx``). Replay URLs end in ``id_`` so the page comes back as it
was captured: no archive toolbar, no rewritten links. A name with ``/timemap/`` in it is a
TimeMap endpoint (a Memento aggregator's ``http://host/timemap/link/``): the start page's
captures come from every archive it knows, and the rest of a site is read from the archive
holding the chosen capture, by the Wayback URL scheme that pywb, OpenWayback and most
national archives share.

Example:
    >>> service = ArchiveService.named("https://web.archive.org/web/")
    >>> service.cdx_url
    'https://web.archive.org/cdx/search/cdx'
    >>> service.raw_url(Capture("20231012093000", "https://acme.com/", 200))
    'https://web.archive.org/web/20231012093000id_/https://acme.com/'
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import urlencode, urlsplit

from crawler.enrich import rdap

WAYBACK = "https://web.archive.org/web/"
MAX_CDX_BYTES = 4 << 20


class ArchiveFailure(Exception):
    """The archive could not be asked, or answered nothing usable; the message says why."""


@dataclass(frozen=True)
class Capture:
    timestamp: str  # YYYYMMDDhhmmss, as the CDX server gives it
    original: str
    status: int | None
    mimetype: str | None = None
    digest: str | None = None
    memento: str | None = None  # a TimeMap's URL of the capture, in whichever archive


WAYBACK_MEMENTO = re.compile(r"^(?P<prefix>https?://.+?/)(?P<ts>\d{14})(?:[a-z]{2}_)?/"
                             r"(?P<original>.+)$")


@dataclass(frozen=True)
class ArchiveService:
    cdx_url: str | None
    replay_prefix: str
    timemap_url: str | None = None

    @classmethod
    def named(cls, url: str | None) -> ArchiveService:
        """The service behind a replay prefix (``wayback`` or None: the Wayback Machine), or
        a TimeMap endpoint (a name with ``/timemap/`` in it)."""
        prefix = WAYBACK if url in (None, "", "wayback") else url.rstrip("/") + "/"
        if "/timemap/" in prefix:
            return cls(None, "", prefix)
        if prefix.endswith("/web/"):
            return cls(prefix[: -len("web/")] + "cdx/search/cdx", prefix)
        return cls(prefix + "cdx", prefix)

    @property
    def index_url(self) -> str:
        """Where captures are listed: the CDX server or the TimeMap endpoint."""
        return self.cdx_url or self.timemap_url or ""

    def raw_url(self, capture: Capture) -> str:
        if capture.memento:
            found = WAYBACK_MEMENTO.match(capture.memento)
            return (f"{found['prefix']}{found['ts']}id_/{found['original']}" if found
                    else capture.memento)  # not Wayback-style: as that archive replays it
        return f"{self.replay_prefix}{capture.timestamp}id_/{capture.original}"

    def holding(self, capture: Capture) -> ArchiveService | None:
        """The archive that holds ``capture``, to read the rest of the site from: this one,
        or for a TimeMap's capture the Wayback-style archive its URL names (None when it is
        not one)."""
        if not capture.memento:
            return self
        found = WAYBACK_MEMENTO.match(capture.memento)
        return ArchiveService(None, found["prefix"]) if found else None


def captures(service: ArchiveService, domain: str, proxy: str | None, timeout: float,
             allow_private: bool = False, whole_site: bool = False, cache=None
             ) -> list[Capture]:
    """Captures of a site's start page (or, with ``whole_site``, of every page; a TimeMap
    lists the start page's only) that answered 200, oldest first; from ``cache`` (a
    LookupCache) when it holds the answer."""
    if service.timemap_url:
        return _timemap_captures(service, domain, proxy, timeout, allow_private, cache)
    key = f"{domain}/{'*' if whole_site else ''}"
    hit = cache.get("cdx", key) if cache is not None else None
    if hit:
        rows = hit["data"]["rows"]
    else:
        query = urlencode({"url": f"{domain}/", "output": "json",
                           "matchType": "domain" if whole_site else "exact",
                           "filter": "statuscode:200", "limit": "1000"})
        rows = _cdx(f"{service.cdx_url}?{query}", proxy, timeout, allow_private)
        if cache is not None:
            cache.put("cdx", key, {"data": {"rows": rows}})
    if not rows:
        return []
    header, *records = rows
    index = {name: i for i, name in enumerate(header)}
    if "timestamp" not in index or "original" not in index:
        raise ArchiveFailure(f"{service.cdx_url}: a CDX answer without timestamp and original")
    out = []
    for row in records:
        try:
            status = row[index["statuscode"]] if "statuscode" in index else None
            out.append(Capture(str(row[index["timestamp"]]), str(row[index["original"]]),
                               int(status) if str(status).isdigit() else None,
                               row[index["mimetype"]] if "mimetype" in index else None,
                               row[index["digest"]] if "digest" in index else None))
        except (IndexError, TypeError, ValueError):
            continue  # one bad row loses that row
    return sorted(out, key=lambda c: c.timestamp)


LINK = re.compile(r'<(?P<uri>[^>]*)>(?P<params>(?:\s*;\s*[\w-]+\s*=\s*(?:"[^"]*"|[^;,<\s]*))*)')
PARAM = re.compile(r'([\w-]+)\s*=\s*(?:"([^"]*)"|([^;,<\s]*))')


def parse_timemap(text: str, original: str) -> list[Capture]:
    """The mementos of a TimeMap in link format (RFC 7089 and 6690), oldest first; an entry
    without a valid datetime is skipped."""
    out = []
    for link in LINK.finditer(text):
        params = {k.lower(): (quoted if quoted or not bare else bare)
                  for k, quoted, bare in PARAM.findall(link["params"])}
        if "memento" not in params.get("rel", "").split():
            continue
        try:
            when = parsedate_to_datetime(params.get("datetime", ""))
        except (TypeError, ValueError):
            continue
        out.append(Capture(when.strftime("%Y%m%d%H%M%S"), original, 200,
                           memento=link["uri"].strip()))
    return sorted(out, key=lambda c: c.timestamp)


def _timemap_captures(service: ArchiveService, domain: str, proxy, timeout, allow_private,
                      cache) -> list[Capture]:
    original = f"https://{domain}/"
    hit = cache.get("timemap", domain) if cache is not None else None
    if hit:
        text = hit["data"]["text"]
    else:
        try:
            got = rdap.fetch_answer(f"{service.timemap_url}{original}", proxy, timeout,
                                    allow_private, MAX_CDX_BYTES, accept="application/link-format",
                                    transient_retry=True)
        except rdap.RDAPFailure as exc:
            if "HTTP 404" in str(exc):  # an aggregator's "no memento of that URL"
                return []
            raise ArchiveFailure(str(exc).replace("RDAP ", "archive ", 1)) from None
        text = got.body.decode("utf-8", "replace")
        if cache is not None:
            cache.put("timemap", domain, {"data": {"text": text}})
    return parse_timemap(text, original)


def closest(found: list[Capture], at: str | None) -> Capture | None:
    """The capture nearest to ``at`` (YYYY[MM[DD]]), or the latest one without it."""
    if not found:
        return None
    if not at:
        return found[-1]
    target = int(at.ljust(14, "0")[:14])
    return min(found, key=lambda c: abs(int(c.timestamp.ljust(14, "0")[:14]) - target))


@dataclass(frozen=True)
class Replayed:
    """A capture as the archive replayed it: the archive may answer with the capture of the
    URL nearest to the one asked for, so ``timestamp`` is the one it gave."""

    timestamp: str
    url: str
    body: bytes
    content_type: str


REPLAY_STAMP = re.compile(r"/(\d{4,14})id_/")


def replay(service: ArchiveService, capture: Capture, proxy: str | None, timeout: float,
           allow_private: bool, cap: int) -> Replayed:
    """The raw capture (``id_``), following the archive to the nearest one it holds."""
    urls = [service.raw_url(capture)]
    if capture.memento and capture.memento not in urls:  # an archive without id_ replay
        urls.append(capture.memento)
    for i, url in enumerate(urls):
        try:
            got = rdap.fetch_answer(url, proxy, timeout, allow_private, cap, accept="*/*",
                                    transient_retry=True)
            break
        except rdap.RDAPFailure as exc:
            if i == len(urls) - 1 or "HTTP 4" not in str(exc):
                raise ArchiveFailure(str(exc).replace("RDAP ", "archive ", 1)) from None
    found = REPLAY_STAMP.search(urlsplit(got.url).path)  # the archive's, before the URL's
    stamp = found.group(1) if found else _memento_stamp(got.headers) or capture.timestamp
    content_type = next((v for k, v in got.headers.items() if k.lower() == "content-type"), "")
    return Replayed(stamp.ljust(14, "0"), capture.original, got.body, content_type)


def _memento_stamp(headers: dict[str, str]) -> str | None:
    """YYYYMMDDhhmmss of a Memento-Datetime header (RFC 7089), if there is a valid one."""
    value = next((v for k, v in headers.items() if k.lower() == "memento-datetime"), None)
    if not value:
        return None
    if value.isdigit():  # the lab and some pywb versions give the timestamp itself
        return value
    try:
        return parsedate_to_datetime(value).strftime("%Y%m%d%H%M%S")
    except (TypeError, ValueError):
        return None


def _cdx(url: str, proxy: str | None, timeout: float, allow_private: bool) -> list:
    try:
        body = rdap.fetch_answer(url, proxy, timeout, allow_private, MAX_CDX_BYTES,
                                 accept="application/json", transient_retry=True).body
    except rdap.RDAPFailure as exc:
        raise ArchiveFailure(str(exc).replace("RDAP ", "archive ", 1)) from None
    if not body.strip():
        return []
    try:
        rows = json.loads(body)
    except ValueError:
        raise ArchiveFailure(f"{url[:200]}: the CDX answer is not JSON") from None
    if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
        raise ArchiveFailure(f"{url[:200]}: the CDX answer is not a list of rows")
    return rows
