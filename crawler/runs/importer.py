"""`facade import`: sites from WARC or ARC files (written by facade or by other crawlers,
read by crawler/runs/warc_import.py) or from JSON Lines (SPEC §8) into a new run, ready for
`facade cluster`.

A WARC from another tool has no facade metadata: its sites get pages and assets only, with
status `ok` when a page answered 2xx.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from pathlib import Path

from analysis.domains import InvalidHost, registrable_domain
from analysis.records import Page
from crawler.runs.import_writer import SiteWriter
from crawler.runs.readings import PageReader
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


def warc_entries(path: Path, warnings: list[str]) -> Iterator[dict]:
    """The sites of a WARC or ARC file (crawler/runs/warc_import.py) as import entries, text
    made storable."""
    try:
        sites = read_archive(path, warnings)
    except ValueError as exc:
        raise ImportFailure(str(exc)) from None
    for domain, site in sites.items():
        pages = [Page(clean(p.url), clean(p.final_url), p.status, clean(p.html), p.depth,
                      clean(p.headers)) for p in site["pages"]]
        yield {"domain": domain, "pages": pages, "assets": site["assets"],
               "meta": clean(site["meta"]), "captured": site["captures"]}


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


def jsonl_entries(path: Path, warnings: list[str]) -> Iterator[dict]:
    """The sites of a JSON Lines file, a line at a time; a bad line is one warning."""
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
                given = obj.get("pages") or []
                pages = [Page(str(p["url"]), str(p.get("final_url") or p["url"]),
                              int(p.get("status", 200)), str(p.get("html", ""))[:MAX_HTML_CHARS])
                         for p in given]
                features = obj.get("features") or {}
                if not isinstance(features, dict):
                    raise TypeError("features must be an object")
            except (ValueError, KeyError, TypeError, AttributeError, InvalidHost) as exc:
                warnings.append(f"{path.name}:{lineno}: skipped ({type(exc).__name__}: {exc})")
                continue
            yield {"domain": domain, "pages": pages, "features": features,
                   "status": str(obj["status"]) if obj.get("status") else None,
                   "captured": [obj.get("captured_at"),
                                *[p.get("captured_at") for p in given if isinstance(p, dict)]]}


def import_file(path: str | Path, db: str | Path, label: str | None,
                workers: int | None = None) -> tuple[int, int, list]:
    """Store the file's sites as a new run, a batch at a time, each page read as it is
    stored (``workers`` processes; default every core); (run id, sites, warnings)."""
    path = Path(path)
    if not path.is_file():
        raise ImportFailure(f"file not found: {path}")
    warnings: list[str] = []
    kind = sniff_format(path)
    if kind in ("warc", "arc"):
        entries = warc_entries(path, warnings)
    elif kind == "jsonl":
        entries = jsonl_entries(path, warnings)
    else:
        raise ImportFailure(f"{path}: neither a WARC or ARC file (gzipped or not) nor JSON Lines")
    first = next(entries, None)
    if first is None:
        raise ImportFailure(f"{path}: no sites in it")
    store = Store(db)
    run_id = store.create_run(label or f"import of {path.name}", {"import": str(path)},
                              str(path), warnings)
    try:
        with PageReader(store, keep=True, workers=workers) as reader:
            writer = SiteWriter(store, run_id, reader)
            for entry in itertools.chain([first], entries):
                writer.add(entry)
            writer.flush()
    except Exception as exc:  # the run is marked failed, so no --resume ever takes it up
        store.set_run_state(run_id, "failed", finished=True)
        store.close()
        raise ImportFailure(f"{path}: import failed ({type(exc).__name__}: {exc}); run "
                           f"{run_id} is marked failed") from None
    store.set_run_warnings(run_id, warnings)
    store.set_run_state(run_id, "crawled", finished=True)
    if writer.first is not None:
        store.set_run_times(run_id, writer.first.isoformat(timespec="seconds"),
                            writer.last.isoformat(timespec="seconds"))
    store.close()
    return run_id, len(writer.state), warnings
