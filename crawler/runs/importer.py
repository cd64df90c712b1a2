"""`facade import`: sites from WARC or ARC files (written by facade or by other crawlers,
read by crawler/runs/warc_import.py) or from JSON Lines (SPEC §8) into a new run, ready for
`facade cluster`.

A WARC from another tool has no facade metadata: its sites get pages and assets only, with
status `ok` when a page answered 2xx.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from analysis.domains import InvalidHost, registrable_domain
from analysis.records import Page
from crawler.runs.warc_import import MAX_HTML_CHARS, read_archive, sniff_format
from crawler.store import Store

MAX_LINE_BYTES = 64 * 1024 * 1024     # one JSON Lines site
_SURROGATES = re.compile("[\ud800-\udfff]")


class ImportFailure(ValueError):
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


def read_warc(path: Path, warnings: list[str] | None = None) -> dict[str, dict]:
    """The sites of a WARC or ARC file (crawler/runs/warc_import.py), text made storable."""
    warnings = [] if warnings is None else warnings
    try:
        sites = read_archive(path, warnings)
    except ValueError as exc:
        raise ImportFailure(str(exc)) from None
    for site in sites.values():
        site["meta"] = clean(site["meta"])
        site["pages"] = [Page(clean(p.url), clean(p.final_url), p.status, clean(p.html),
                              p.depth, clean(p.headers)) for p in site["pages"]]
        for when in site.pop("captures"):
            _captured(site, when)
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
        raise ImportFailure(f"file not found: {path}")
    warnings: list[str] = []
    kind = sniff_format(path)
    if kind in ("warc", "arc"):
        sites = read_warc(path, warnings)
    elif kind == "jsonl":
        sites, warnings = read_jsonl(path)
    else:
        raise ImportFailure(f"{path}: neither a WARC or ARC file (gzipped or not) nor JSON Lines")
    if not sites:
        raise ImportFailure(f"{path}: no sites in it")
    store = Store(db)
    run_id = store.create_run(label or f"import of {path.name}", {"import": str(path)},
                              str(path), warnings)
    try:
        _store_sites(store, run_id, sites)
    except Exception as exc:  # the run is marked failed, so no --resume ever takes it up
        store.set_run_state(run_id, "failed", finished=True)
        store.close()
        raise ImportFailure(f"{path}: import failed ({type(exc).__name__}: {exc}); run "
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
        if "captured" in site:
            store.set_site_time(run_id, domain, site["captured"][1].isoformat(timespec="seconds"))
