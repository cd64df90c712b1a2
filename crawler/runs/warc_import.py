"""Sites from the WARC and ARC files of any crawler (wget, wpull, Heritrix, pywb, warcio,
facade): what `facade import` reads.

- A record is a **page** only when it is HTML: by its Content-Type, or, when that says
  nothing (missing, ``application/octet-stream``), by sniffing its first bytes as browsers
  do (WHATWG MIME sniffing). Scripts, stylesheets, images, fonts and the rest are the site's
  **assets**, hashed as a live crawl hashes them, never text to compare.
- ``response`` and ``resource`` records count; a ``revisit`` record resolves to the record it
  repeats (same payload digest, or the URI and date it names) earlier in the file.
- Only http(s) URIs are sites: wget's ``metadata://``, ``dns:`` and ``file://`` records are
  skipped. A host with no HTML page (a CDN, a font service) is not a site.
- Each site keeps its capture span (``WARC-Date``), so an imported run is dated by when its
  pages were captured, not by the import.
- ARC files are read as WARC (warcio's ``arc2warc``); a file's kind is sniffed from its first
  bytes, not its name.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from urllib.parse import quote, urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from analysis.assets import hashed_asset
from analysis.domains import domain_of_url
from analysis.records import Asset, Page
from crawler.crawl.warc import META_URI, SITE_HEADER

MAX_RECORD_BYTES = 10 * 1024 * 1024   # a page or asset, after decompression (as in a crawl)
MAX_HTML_CHARS = 2 * 1024 * 1024      # HTML kept per page (as in a crawl)
HTML_TYPES = ("text/html", "application/xhtml+xml")
UNKNOWN_TYPES = ("", "application/octet-stream", "unknown/unknown", "application/unknown",
                 "*/*", "binary/octet-stream")
# WHATWG MIME sniffing: the tags whose opening (after whitespace) makes bytes HTML.
_HTML_START = re.compile(rb"\s*(?:<!doctype html|<html|<head|<script|<iframe|<h1|<div|<font|"
                         rb"<table|<a|<style|<title|<b|<body|<br|<p|<!--)[ >]", re.I)
_FONT = re.compile(r"\.(?:woff2?|ttf|otf|eot)$", re.I)


def sniff_format(path: Path) -> str | None:
    """``warc``, ``arc`` or ``jsonl`` by the file's first bytes (gzip looked through)."""
    with open(path, "rb") as fh:
        head = fh.read(64)
    if head[:2] == b"\x1f\x8b":
        try:
            with gzip.open(path, "rb") as fh:
                head = fh.read(64)
        except (OSError, EOFError):
            return None
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"filedesc://"):
        return "arc"
    if head.lstrip()[:1] in (b"{", b""):
        return "jsonl"
    return None


def is_html(content_type: str, body: bytes) -> bool:
    """HTML by its declared type, or by its first bytes when the type says nothing."""
    declared = content_type.split(";", 1)[0].strip().lower()
    if declared in HTML_TYPES:
        return True
    if declared not in UNKNOWN_TYPES:
        return False
    return bool(_HTML_START.match(body[:512].lstrip(b"\xef\xbb\xbf")))


def asset_kind(url: str, content_type: str) -> str:
    """favicon, image, script, stylesheet, font or other, by type, then by path."""
    declared = content_type.split(";", 1)[0].strip().lower()
    path = urlsplit(url).path.lower()
    if path.endswith("favicon.ico") or declared in ("image/x-icon", "image/vnd.microsoft.icon"):
        return "favicon"
    if declared.startswith("font/") or "font" in declared or _FONT.search(path):
        return "font"
    if declared.startswith("image/"):
        return "image"
    if "javascript" in declared or "ecmascript" in declared or path.endswith(".js"):
        return "script"
    if declared == "text/css" or path.endswith(".css"):
        return "stylesheet"
    return "other"


def _decode(body: bytes, content_type: str) -> str:
    charset = "utf-8"
    if "charset=" in content_type:
        charset = content_type.split("charset=", 1)[1].split(";")[0].strip(" \"'") or "utf-8"
    try:
        return body.decode(charset, "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


def _bounded_read(record, warnings: list[str], uri: str) -> bytes | None:
    """A record's payload, at most MAX_RECORD_BYTES after decompression; None (with a
    warning) when larger. A record the file ends inside is kept as far as it goes."""
    body = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(body) > MAX_RECORD_BYTES:
        warnings.append(f"{uri[:200]}: larger than {MAX_RECORD_BYTES >> 20} MB after "
                        "decompression; skipped")
        return None
    if getattr(record.raw_stream, "limit", 0) > 0 and not record.raw_stream.read(1):
        warnings.append(f"damaged or truncated: the file ends inside the record of "
                        f"{uri[:200]}; kept as far as it goes")
    return body


def _target(record) -> str:
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    return quote(uri, safe=":/?#[]@!$&'()*+,;=%~") if " " in uri else uri


class _Reader:
    """One pass over an archive's records, collecting sites. What each record gave (a page's
    text, an asset's hashes: never a body) is remembered by payload digest and by URI and
    date, for the revisit records that repeat it."""

    def __init__(self, warnings: list[str]):
        self.sites: dict[str, dict] = {}
        self.warnings = warnings
        self.seen: dict[str, Page | Asset] = {}
        self.skipped = {"non_http": 0, "unresolved_revisits": 0}
        self.held: Counter[str] = Counter()  # what the records that are no page were

    def site(self, domain: str) -> dict:
        return self.sites.setdefault(domain, {"pages": [], "assets": [], "meta": None,
                                              "html": False, "captures": []})

    def record(self, record) -> None:
        uri = _target(record)
        if record.rec_type == "metadata" and uri.startswith(META_URI):
            domain = record.rec_headers.get_header(SITE_HEADER) or uri[len(META_URI):]
            meta = _bounded_read(record, self.warnings, uri)
            if meta is not None:
                self.site(domain)["meta"] = json.loads(meta)
            return
        if record.rec_type not in ("response", "resource", "revisit"):
            return
        if urlsplit(uri).scheme.lower() not in ("http", "https"):
            self.skipped["non_http"] += 1
            return
        domain = record.rec_headers.get_header(SITE_HEADER) or domain_of_url(uri)
        if not domain:
            return
        got = self._revisited(record, uri) if record.rec_type == "revisit" else \
            self._read(record, uri)
        if got is None:
            return
        site = self.site(domain)
        site["captures"].append(record.rec_headers.get_header("WARC-Date"))
        if got == "large html":  # too large to read: a page of the site all the same
            site["html"] = True
        elif isinstance(got, Page):
            site["html"] = True
            site["pages"].append(got)
        elif isinstance(got, Asset):
            site["assets"].append(got)

    def _read(self, record, uri: str) -> Page | Asset | str | None:
        body = _bounded_read(record, self.warnings, uri)
        if record.rec_type == "resource":
            status, content_type = 200, record.rec_headers.get_header("Content-Type") or ""
        elif record.http_headers is None:
            return None
        else:
            status = int(record.http_headers.get_statuscode() or 0)
            content_type = record.http_headers.get_header("Content-Type") or ""
        if 300 <= status < 400 or uri.endswith("/robots.txt"):
            self.held["redirect" if status < 400 else "robots.txt"] += 1
            return "hop"  # redirect hops and robots.txt: kept in the archive, not pages
        if body is None:
            return "large html" if is_html(content_type, b"<html>") else "large"
        facade_kind = record.rec_headers.get_header("WARC-Facade-Asset")
        if not facade_kind and is_html(content_type, body):
            depth = record.rec_headers.get_header("WARC-Facade-Depth")
            start = record.rec_headers.get_header("WARC-Facade-Start-Url") or uri
            headers = dict(record.http_headers.headers) if record.http_headers else {}
            got: Page | Asset = Page(start, uri, status,
                                     _decode(body, content_type)[:MAX_HTML_CHARS],
                                     int(depth) if depth else 0, headers)
        else:
            got = hashed_asset(uri, facade_kind or asset_kind(uri, content_type), status, body)
            self.held[content_type.split(";")[0].strip().lower() or "untyped record"
                      if body else "empty record"] += 1
        digest = record.rec_headers.get_header("WARC-Payload-Digest")
        if digest:
            self.seen[digest] = got
        self.seen[f"{uri} {record.rec_headers.get_header('WARC-Date')}"] = got
        return got

    def _revisited(self, record, uri: str) -> Page | Asset | None:
        """What the record a revisit repeats gave, at the revisit's URI; None (counted) when
        that record is not in the file."""
        refers = (f"{record.rec_headers.get_header('WARC-Refers-To-Target-URI')} "
                  f"{record.rec_headers.get_header('WARC-Refers-To-Date')}")
        original = (self.seen.get(record.rec_headers.get_header("WARC-Payload-Digest") or "")
                    or self.seen.get(refers))
        if original is None:
            self.skipped["unresolved_revisits"] += 1
            return None
        if isinstance(original, Page):
            return replace(original, url=uri, final_url=uri)
        return replace(original, url=uri)


def read_archive(path: Path, warnings: list[str]) -> dict[str, dict]:
    """domain -> {"pages", "assets", "meta", "captures"} of every site with an HTML page (or
    facade's own metadata). Raises ValueError (one line) when the file cannot be read."""
    reader = _Reader(warnings)
    said = io.StringIO()  # warcio writes its own warnings to stderr: they become ours
    try:
        with open(path, "rb") as fh, contextlib.redirect_stderr(said):
            for record in ArchiveIterator(fh, arc2warc=True):
                reader.record(record)
    except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
        if not reader.sites:
            raise ValueError(f"{path}: not a readable WARC or ARC file "
                             f"({' '.join(str(exc).split())[:200]})") from None
        warnings.append(f"{path.name}: unreadable after {len(reader.sites)} hosts ({exc}); "
                        "the rest is missing")
    for offset in re.findall(r"Offset: (\d+)", said.getvalue()):
        warnings.append(f"{path.name} is damaged or truncated at byte {offset}: a record is "
                        "shorter or longer than its Content-Length says")
    return _sites_only(reader, path, warnings)


def _sites_only(reader: _Reader, path: Path, warnings: list[str]) -> dict[str, dict]:
    sites = {d: s for d, s in reader.sites.items() if s["html"] or s["meta"]}
    others = len(reader.sites) - len(sites)
    if others:
        warnings.append(f"{path.name}: {others} hosts with no HTML page (scripts, fonts, images"
                        " of other servers) are not sites")
    if reader.skipped["non_http"]:
        warnings.append(f"{path.name}: {reader.skipped['non_http']} records of non-http URIs "
                        "(metadata://, dns:, file://) skipped")
    if reader.skipped["unresolved_revisits"]:
        warnings.append(f"{path.name}: {reader.skipped['unresolved_revisits']} revisit records"
                        " repeat records that are not in this file; skipped")
    if not sites:
        held = [f"{n} {what}" for what, n in reader.held.most_common(4)]
        if reader.skipped["unresolved_revisits"]:
            held.append(f"{reader.skipped['unresolved_revisits']} revisits of records not in"
                        " this file")
        if held:
            raise ValueError(f"{path}: no HTML page in it (it holds {', '.join(held)})")
        raise ValueError(f"{path}: no web page records in it (response, resource or revisit"
                         " of an http(s) URI)")
    return sites
