"""`facade import`: sites from WARC files (written by facade or by other crawlers) or from
JSON Lines (SPEC §8) into a new run, ready for `facade cluster`.

A WARC from another tool has no facade metadata: its sites get pages and assets only, with
status `ok` when a page answered 2xx.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import mmh3
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from analysis.domains import InvalidHost, domain_of_url, registrable_domain
from analysis.records import Asset, Page
from crawler.store import Store
from crawler.warc import META_URI, SITE_HEADER

MAX_RECORD_BYTES = 10 * 1024 * 1024   # a page or asset, after decompression (as in a crawl)
MAX_HTML_CHARS = 2 * 1024 * 1024      # HTML kept per page (as in a crawl)
MAX_LINE_BYTES = 64 * 1024 * 1024     # one JSON Lines site
_SURROGATES = re.compile("[\ud800-\udfff]")


class ImportError_(ValueError):
    """The file cannot be imported; the message says why."""

    def __init__(self, message: str):
        super().__init__(" ".join(str(message).split()))  # one line, whatever the cause


def clean(value):
    """Imported text with lone surrogates (invalid in UTF-8) replaced, at any depth."""
    if isinstance(value, str):
        return _SURROGATES.sub("\ufffd", value)
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    return value


def _bounded_read(record, warnings: list[str], uri: str) -> bytes | None:
    """A record's payload, at most MAX_RECORD_BYTES after decompression; None (with a
    warning) when larger. Raises ImportError_ when the file ends inside the record."""
    body = record.content_stream().read(MAX_RECORD_BYTES + 1)
    if len(body) > MAX_RECORD_BYTES:
        warnings.append(f"{uri[:200]}: larger than {MAX_RECORD_BYTES >> 20} MB after "
                        "decompression; skipped")
        return None
    if getattr(record.raw_stream, "limit", 0) > 0 and not record.raw_stream.read(1):
        raise _Truncated(uri)
    return body


class _Truncated(Exception):
    """The file ended inside a record."""


def _site_of(record) -> str | None:
    site = record.rec_headers.get_header(SITE_HEADER)
    return site or domain_of_url(record.rec_headers.get_header("WARC-Target-URI") or "")


def read_warc(path: Path, warnings: list[str] | None = None) -> dict[str, dict]:
    sites: dict[str, dict] = {}
    warnings = [] if warnings is None else warnings
    said = io.StringIO()  # warcio writes its own warnings to stderr: they become ours
    try:
        with open(path, "rb") as fh, contextlib.redirect_stderr(said):
            for record in ArchiveIterator(fh):
                domain = _site_of(record)
                if not domain:
                    continue
                site = sites.setdefault(domain, {"pages": [], "assets": [], "meta": None})
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                if record.rec_type == "metadata" and uri.startswith(META_URI):
                    meta = _bounded_read(record, warnings, uri)
                    site["meta"] = clean(json.loads(meta)) if meta is not None else None
                    continue
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                _captured(site, record.rec_headers.get_header("WARC-Date"))
                status = int(record.http_headers.get_statuscode() or 0)
                body = _bounded_read(record, warnings, uri)
                if body is None:
                    continue
                kind = record.rec_headers.get_header("WARC-Facade-Asset")
                if kind:
                    ok = 200 <= status < 300 and bool(body)
                    site["assets"].append(Asset(
                        uri, kind, status, hashlib.sha256(body).hexdigest() if ok else None,
                        mmh3.hash(base64.encodebytes(body)) if ok and kind == "favicon" else None,
                        len(body)))
                    continue
                if 300 <= status < 400 or uri.endswith("/robots.txt"):
                    continue  # hops and robots.txt: kept in the archive, not pages
                charset = "utf-8"
                ctype = record.http_headers.get_header("Content-Type") or ""
                if "charset=" in ctype:
                    charset = ctype.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
                try:
                    html = body.decode(charset, "replace")
                except LookupError:
                    html = body.decode("utf-8", "replace")
                depth = record.rec_headers.get_header("WARC-Facade-Depth")
                start = record.rec_headers.get_header("WARC-Facade-Start-Url") or uri
                site["pages"].append(Page(clean(start), clean(uri), status,
                                          clean(html[:MAX_HTML_CHARS]),
                                          int(depth) if depth else 0,
                                          clean(dict(record.http_headers.headers))))
    except _Truncated as exc:
        warnings.append(f"{path.name} is damaged or truncated at the record of {exc}: that "
                        "record and everything after it are missing")
    except (ArchiveLoadFailed, OSError, ValueError, EOFError) as exc:
        if not sites:
            raise ImportError_(f"{path}: not a readable WARC file ({exc})") from None
        warnings.append(f"{path.name}: unreadable after {len(sites)} sites ({exc}); the rest"
                        " is missing")
    for offset in re.findall(r"Offset: (\d+)", said.getvalue()):
        warnings.append(f"{path.name} is damaged or truncated at byte {offset}: a record is "
                        "shorter or longer than its Content-Length says")
    return sites


def _lines(fh):
    """Numbered lines of at most MAX_LINE_BYTES; a longer line is given as None."""
    lineno = 0
    while True:
        raw = fh.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        lineno += 1
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := fh.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield lineno, None
            continue
        yield lineno, raw.decode("utf-8", "replace")


def read_jsonl(path: Path) -> tuple[dict[str, dict], list[str]]:
    sites: dict[str, dict] = {}
    warnings = []
    with open(path, "rb") as fh:
        for lineno, line in _lines(fh):
            if line is None:
                warnings.append(f"{path.name}:{lineno}: skipped (longer than "
                                f"{MAX_LINE_BYTES >> 20} MB)")
                continue
            if not line.strip():
                continue
            try:
                obj = clean(json.loads(line))
                domain = registrable_domain(str(obj["domain"]))
                pages = [Page(str(p["url"]), str(p.get("final_url") or p["url"]),
                              int(p.get("status", 200)), str(p.get("html", ""))[:MAX_HTML_CHARS])
                         for p in obj.get("pages") or []]
                features = obj.get("features") or {}
                if not isinstance(features, dict):
                    raise TypeError("features must be an object")
            except (ValueError, KeyError, TypeError, InvalidHost) as exc:
                warnings.append(f"{path.name}:{lineno}: skipped ({type(exc).__name__}: {exc})")
                continue
            site = sites.setdefault(domain, {"pages": [], "assets": [], "meta": None,
                                             "features": {}})
            site["pages"] += pages
            site["features"].update(features)
            for when in [obj.get("captured_at"), *[p.get("captured_at")
                                                   for p in obj.get("pages") or []
                                                   if isinstance(p, dict)]]:
                _captured(site, when)
            if obj.get("status"):
                site["status"] = str(obj["status"])
    return sites, warnings


def _captured(site: dict, when) -> None:
    """Widen the site's capture span by one capture time (ISO 8601; anything else is
    ignored): an imported run is dated by its captures, not by the import."""
    try:
        moment = datetime.fromisoformat(str(when).replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(UTC)
    first, last = site.get("captured", (moment, moment))
    site["captured"] = (min(first, moment), max(last, moment))


def import_file(path: str | Path, db: str | Path, label: str | None) -> tuple[int, int, list]:
    """Store the file's sites as a new run; (run id, sites, warnings)."""
    path = Path(path)
    if not path.is_file():
        raise ImportError_(f"file not found: {path}")
    warnings: list[str] = []
    if path.name.endswith((".warc", ".warc.gz", ".arc.gz")):
        sites = read_warc(path, warnings)
    else:
        sites, warnings = read_jsonl(path)
    if not sites:
        raise ImportError_(f"{path}: no sites in it")
    store = Store(db)
    run_id = store.create_run(label or f"import of {path.name}", {"import": str(path)},
                              str(path), warnings)
    try:
        _store_sites(store, run_id, sites)
    except Exception as exc:  # the run is marked failed, so no --resume ever takes it up
        store.set_run_state(run_id, "failed", finished=True)
        store.close()
        raise ImportError_(f"{path}: import failed ({type(exc).__name__}: {exc}); run "
                           f"{run_id} is marked failed") from None
    store.set_run_state(run_id, "crawled", finished=True)
    spans = [s["captured"] for s in sites.values() if "captured" in s]
    if spans:
        store.set_run_times(run_id, min(a for a, _ in spans).isoformat(timespec="seconds"),
                            max(b for _, b in spans).isoformat(timespec="seconds"))
    store.close()
    return run_id, len(sites), warnings


def _store_sites(store: Store, run_id: int, sites: dict[str, dict]) -> None:
    store.add_sites(run_id, [{"domain": d, **((s["meta"] or {}).get("seed") or {})}
                             for d, s in sites.items()])
    for domain, site in sites.items():
        meta = site["meta"] or {}
        for page in site["pages"]:
            store.add_page(run_id, domain, page)
        for asset in site["assets"]:
            store.add_asset(run_id, domain, asset)
        ok = any(200 <= p.status < 300 for p in site["pages"])
        status = meta.get("status") or site.get("status") or ("ok" if ok else "error")
        store.set_site(run_id, domain, status=status,
                       message=meta.get("message") or (None if ok else "no page answered 2xx"),
                       redirects_to=meta.get("redirects_to"), start_url=meta.get("start_url"))
        results = {source: (entry.get("data"), entry.get("error"))
                   for source, entry in (meta.get("enrichment") or {}).items()}
        if site.get("features"):
            results["import"] = (site["features"], None)
        store.put_site_enrichment(run_id, domain, results)
