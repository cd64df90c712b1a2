"""Which files of a page are fingerprinted, and how: favicon, scripts, stylesheets, images.

The live crawl and the archive path ask for the same files and hash them the same way, so a
favicon served today and one replayed from a 2023 capture compare.

Example:
    >>> from selectolax.lexbor import LexborHTMLParser
    >>> tree = LexborHTMLParser('<script src="/app.js"></script>')
    >>> wanted_assets(tree, "https://acme.com/", start_page=True)
    [('https://acme.com/favicon.ico', 'favicon'), ('https://acme.com/app.js', 'script')]
    >>> hashed_asset("https://acme.com/app.js", "script", 200, b"x").sha256[:8]
    '2d711642'
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import urljoin

import mmh3

from analysis.records import Asset

ASSET_SELECTORS = (("script[src]", "src", "script"),
                   ('link[rel="stylesheet"][href]', "href", "stylesheet"),
                   ("img[src]", "src", "image"))


def wanted_assets(tree, base_url: str, start_page: bool) -> list[tuple[str, str]]:
    """(absolute URL, kind) of the files a page uses, in page order; the start page adds its
    favicon (the declared icon, else ``/favicon.ico``). Other sites' files are the caller's
    to drop."""
    wanted: list[tuple[str, str]] = []
    if start_page:
        icon = tree.css_first('link[rel~="icon"][href], link[rel="shortcut icon"][href]')
        href = icon.attributes.get("href") if icon else None
        wanted.append((urljoin(base_url, href or "/favicon.ico"), "favicon"))
    for selector, attr, kind in ASSET_SELECTORS:
        for node in tree.css(selector):
            wanted.append((urljoin(base_url, node.attributes.get(attr) or ""), kind))
    return wanted


def hashed_asset(url: str, kind: str, status: int, body: bytes) -> Asset:
    """The asset's record: its SHA-256 when it answered with a body, and for a favicon
    Shodan's hash (mmh3 of the base64 text with a newline every 76 characters)."""
    ok = 200 <= status < 300 and bool(body)
    return Asset(url=url, kind=kind, status=status,
                 sha256=hashlib.sha256(body).hexdigest() if ok else None,
                 mmh3=mmh3.hash(base64.encodebytes(body)) if ok and kind == "favicon" else None,
                 size=len(body))
