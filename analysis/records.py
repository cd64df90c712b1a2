"""The records that flow between stages: what the crawl stored, and what features derive."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


def html_digest(html: str) -> str:
    """A page's content hash (what the store keeps beside the HTML)."""
    return hashlib.blake2b(html.encode("utf-8", "replace"), digest_size=16).hexdigest()


@dataclass
class Page:
    """One fetched page as stored by the crawl."""

    url: str
    final_url: str
    status: int
    html: str = ""
    depth: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    truncated: bool = False
    redirect_urls: list[str] = field(default_factory=list)
    # Set when read back from the store: the row, and the content hash stored beside the
    # HTML (a page read without its HTML has html "" and these).
    id: int | None = None
    digest: str | None = None


@dataclass
class Asset:
    """A same-site favicon, script, stylesheet or image: only its hashes are kept."""

    url: str
    kind: str  # "favicon", "script", "stylesheet", "image"
    status: int
    sha256: str | None = None
    mmh3: int | None = None  # favicons: Shodan's mmh3 of the base64-encoded body
    size: int = 0


@dataclass
class SiteRecord:
    """A site as the crawl stored it: status, pages and per-source enrichment results.

    ``enrichment`` maps a source name ("dns", "whois", "ipwhois", "tls") to
    ``{"data": ..., "error": str | None}``.
    """

    domain: str
    status: str
    message: str | None = None
    redirects_to: str | None = None
    pages: list[Page] = field(default_factory=list)
    enrichment: dict[str, dict] = field(default_factory=dict)
    assets: list[Asset] = field(default_factory=list)
    role: str = "seed"  # "seed", or "reference" for a known legitimate site


@dataclass(slots=True)  # a million of them are held at once
class SiteFeatures:
    """Feature values of one site (kind -> values), its main text and page facts."""

    domain: str
    status: str
    message: str | None = None
    values: dict[str, list[str]] = field(default_factory=dict)
    text: str = ""
    role: str = "seed"
    page_texts: list[tuple[str, str]] = field(default_factory=list)  # (url, main text)
    # Each page text's stored shingle hashes (analysis/page_reading.py), or None.
    page_shingles: list[bytes | None] = field(default_factory=list)
    page_signatures: list[bytes | None] = field(default_factory=list)  # ... their MinHash

    def first(self, kind: str) -> str | None:
        vals = self.values.get(kind)
        return vals[0] if vals else None

    def all(self, kind: str) -> list[str]:
        return list(self.values.get(kind, []))
