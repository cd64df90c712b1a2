"""Web archives through the Wayback Machine's CDX API and raw (``id_``) replay.

An archive is named by its replay prefix: ``https://web.archive.org/web/`` (its CDX server is
``https://web.archive.org/cdx/search/cdx``), or a pywb collection ``http://host/coll/``
(CDX at ``http://host/coll/cdx``). Replay URLs end in ``id_`` so the page comes back as it
was captured: no archive toolbar, no rewritten links.

Example:
    >>> service = ArchiveService.named("https://web.archive.org/web/")
    >>> service.cdx_url
    'https://web.archive.org/cdx/search/cdx'
    >>> service.raw_url(Capture("20231012093000", "https://acme.com/", 200))
    'https://web.archive.org/web/20231012093000id_/https://acme.com/'
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlencode

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


@dataclass(frozen=True)
class ArchiveService:
    cdx_url: str
    replay_prefix: str

    @classmethod
    def named(cls, url: str | None) -> ArchiveService:
        """The service behind a replay prefix (``wayback`` or None: the Wayback Machine)."""
        prefix = WAYBACK if url in (None, "", "wayback") else url.rstrip("/") + "/"
        if prefix.endswith("/web/"):
            return cls(prefix[: -len("web/")] + "cdx/search/cdx", prefix)
        return cls(prefix + "cdx", prefix)

    def raw_url(self, capture: Capture) -> str:
        return f"{self.replay_prefix}{capture.timestamp}id_/{capture.original}"


def captures(service: ArchiveService, domain: str, proxy: str | None, timeout: float,
             allow_private: bool = False, whole_site: bool = False, cache=None
             ) -> list[Capture]:
    """Captures of a site's start page (or, with ``whole_site``, of every page) that
    answered 200, oldest first; from ``cache`` (a LookupCache) when it holds the answer."""
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


def closest(found: list[Capture], at: str | None) -> Capture | None:
    """The capture nearest to ``at`` (YYYY[MM[DD]]), or the latest one without it."""
    if not found:
        return None
    if not at:
        return found[-1]
    target = int(at.ljust(14, "0")[:14])
    return min(found, key=lambda c: abs(int(c.timestamp.ljust(14, "0")[:14]) - target))


def _cdx(url: str, proxy: str | None, timeout: float, allow_private: bool) -> list:
    try:
        body = rdap.fetch_bytes(url, proxy, timeout, allow_private, MAX_CDX_BYTES)
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
