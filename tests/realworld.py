"""The real pages of ../shared/realworld/pages (trafilatura's evaluation set) as facade sites.

Every page becomes a site named by its host (the original host for web.archive.org
captures); pages of one host are one site. Used by tests and bench/realworld_bench.py.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from w3lib.encoding import html_to_unicode

from analysis.domains import InvalidHost, registrable_domain
from analysis.records import Page, SiteRecord

ROOT = Path(__file__).resolve().parents[2] / "shared" / "realworld"
PAGES = ROOT / "pages"
# Hosting platforms whose subdomains are different publishers.
PLATFORMS = {"wordpress.com", "blogspot.com", "tumblr.com", "github.io", "wixsite.com"}
_WAYBACK = re.compile(r"^https?://web\.archive\.org/web/[^/]+/(https?://.+)$")


@dataclass
class RealPage:
    url: str
    file: str
    html: str
    with_: list[str]
    without: list[str]
    host: str


def decode(raw: bytes) -> str:
    """Bytes to text the way Scrapy decodes a body (BOM, meta charset, else a guess)."""
    return html_to_unicode(None, raw)[1]


def _host(url: str, file: str) -> str:
    match = _WAYBACK.match(url)
    if match:
        url = match.group(1)
    host = urlsplit(url).hostname if "://" in url else None
    if not host:  # "hard::site.tld-name.html", "hard::site.tld.name.html"
        labels = file.removesuffix(".html").split("-", 1)[0].split(".")
        host = next((".".join(labels[:n]) for n in range(len(labels), 1, -1)
                     if _valid(".".join(labels[:n]))), labels[0])
    return host.lower().removeprefix("www.")


def _valid(host: str) -> bool:
    try:
        registrable_domain(host)
    except InvalidHost:
        return False
    return True


def real_pages() -> list[RealPage]:
    """Every page of the set, in index order ([] when the folder is absent)."""
    index_file = PAGES / "index.json"
    if not index_file.exists():
        return []
    out = []
    for url, entry in json.loads(index_file.read_text()).items():
        path = PAGES / entry["file"]
        if not path.exists():
            continue
        host = _host(url, entry["file"])
        page_url = url if "://" in url and not _WAYBACK.match(url) else f"https://{host}/"
        out.append(RealPage(page_url, entry["file"], decode(path.read_bytes()),
                            entry.get("with", []), entry.get("without", []), host))
    return out


def publisher(host: str) -> str:
    """Who publishes a host: its registrable domain, or the host itself on a platform."""
    try:
        domain = registrable_domain(host)
    except InvalidHost:
        return host
    return host if domain in PLATFORMS else domain


def real_sites(pages: list[RealPage] | None = None) -> list[SiteRecord]:
    """One ok site per host, with that host's pages."""
    sites: dict[str, SiteRecord] = {}
    for page in pages if pages is not None else real_pages():
        site = sites.setdefault(page.host, SiteRecord(page.host, "ok"))
        site.pages.append(Page(page.url, page.url, 200, page.html))
    return list(sites.values())


def _norm(text: str) -> str:
    return " ".join((text or "").split())


def text_scores(pages: list[RealPage], texts: list[str]) -> dict[str, float]:
    """Precision, recall and F1 of main texts, scored as trafilatura's evaluation does: a
    `with` snippet found is a true positive, a `without` snippet found a false positive."""
    tp = fn = fp = 0
    for page, text in zip(pages, texts, strict=True):
        found = _norm(text)
        for snippet in page.with_:
            if _norm(snippet) in found:
                tp += 1
            else:
                fn += 1
        fp += sum(1 for snippet in page.without if _norm(snippet) in found)
    precision = tp / max(1, tp + fp)
    recall = tp / max(1, tp + fn)
    f1 = 2 * precision * recall / max(1e-9, precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1}
