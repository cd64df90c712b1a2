"""`facade import`: sites from WARC files (written by facade or by other crawlers) or from
JSON Lines (SPEC §8) into a new run, ready for `facade cluster`.

A WARC from another tool has no facade metadata: its sites get pages and assets only, with
status `ok` when a page answered 2xx.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import mmh3
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from analysis.domains import InvalidHost, domain_of_url, registrable_domain
from analysis.records import Asset, Page
from crawler.store import Store
from crawler.warc import META_URI, SITE_HEADER


class ImportError_(ValueError):
    """The file cannot be imported; the message says why."""


def _site_of(record) -> str | None:
    site = record.rec_headers.get_header(SITE_HEADER)
    return site or domain_of_url(record.rec_headers.get_header("WARC-Target-URI") or "")


def read_warc(path: Path) -> dict[str, dict]:
    sites: dict[str, dict] = {}
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                domain = _site_of(record)
                if not domain:
                    continue
                site = sites.setdefault(domain, {"pages": [], "assets": [], "meta": None})
                uri = record.rec_headers.get_header("WARC-Target-URI") or ""
                if record.rec_type == "metadata" and uri.startswith(META_URI):
                    site["meta"] = json.loads(record.content_stream().read())
                    continue
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                status = int(record.http_headers.get_statuscode() or 0)
                body = record.content_stream().read()
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
                site["pages"].append(Page(start, uri, status, html,
                                          int(depth) if depth else 0,
                                          dict(record.http_headers.headers)))
    except (ArchiveLoadFailed, OSError, ValueError) as exc:
        raise ImportError_(f"{path}: not a readable WARC file ({exc})") from None
    return sites


def read_jsonl(path: Path) -> tuple[dict[str, dict], list[str]]:
    sites: dict[str, dict] = {}
    warnings = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                domain = registrable_domain(str(obj["domain"]))
                pages = [Page(p["url"], p.get("final_url") or p["url"], int(p.get("status", 200)),
                              str(p.get("html", ""))) for p in obj.get("pages") or []]
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
            if obj.get("status"):
                site["status"] = str(obj["status"])
    return sites, warnings


def import_file(path: str | Path, db: str | Path, label: str | None) -> tuple[int, int, list]:
    """Store the file's sites as a new run; (run id, sites, warnings)."""
    path = Path(path)
    if not path.is_file():
        raise ImportError_(f"file not found: {path}")
    warnings: list[str] = []
    if path.name.endswith((".warc", ".warc.gz", ".arc.gz")):
        sites = read_warc(path)
    else:
        sites, warnings = read_jsonl(path)
    if not sites:
        raise ImportError_(f"{path}: no sites in it")
    store = Store(db)
    run_id = store.create_run(label or f"import of {path.name}", {"import": str(path)},
                              str(path), warnings)
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
    store.set_run_state(run_id, "crawled", finished=True)
    store.close()
    return run_id, len(sites), warnings
