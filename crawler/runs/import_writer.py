"""Imported sites written to the store in batches, each page read once as it is stored.

An import may hold a million sites: sites are written a batch at a time (one transaction
each), never held whole, and each batch's pages are read on every core
(crawler/runs/readings.py), so the first ``facade cluster`` of the run finds every page's
reading ready. A domain may appear on several lines of a file: its later lines add pages,
features and captures to what the earlier ones stored.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from analysis.records import Asset, Page, SiteRecord
from crawler.runs.readings import PageReader
from crawler.store import Store
from crawler.store.schema import now

BATCH_SITES = 2000


def capture_time(when) -> datetime | None:
    """An ISO 8601 capture time in UTC (anything else: None)."""
    try:
        moment = datetime.fromisoformat(str(when).replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class SiteWriter:
    """Collects imported site entries and stores them ``BATCH_SITES`` at a time.

    An entry: ``domain``, ``pages``, and optionally ``assets``, ``meta`` (facade's own WARC
    metadata: status, message, enrichment, seed), ``features``, ``status``, ``captured``
    (capture times).
    """

    def __init__(self, store: Store, run_id: int, reader: PageReader):
        self.store, self.run_id, self.reader = store, run_id, reader
        # Per domain, what its site row is made from (small: a million fit in memory).
        self.state: dict[str, dict] = {}
        self.batch: dict[str, list[dict]] = {}
        self.first: datetime | None = None
        self.last: datetime | None = None

    def add(self, entry: dict) -> None:
        self.batch.setdefault(entry["domain"], []).append(entry)
        if len(self.batch) >= BATCH_SITES:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch = self.batch, {}
        pages: list[tuple[str, Page]] = []
        assets: list[tuple[str, Asset]] = []
        enrichment: list[tuple] = []
        for domain, entries in batch.items():
            state = self.state.setdefault(domain, {"ok": False})
            features: dict = {}
            for entry in entries:
                pages += [(domain, p) for p in entry["pages"]]
                assets += [(domain, a) for a in entry.get("assets", [])]
                state["ok"] = state["ok"] or any(200 <= p.status < 300 for p in entry["pages"])
                meta = entry.get("meta") or {}
                for key in ("status", "message", "redirects_to", "start_url", "seed"):
                    if meta.get(key):
                        state[key] = meta[key]
                if entry.get("status"):
                    state["given_status"] = entry["status"]
                for source, result in (meta.get("enrichment") or {}).items():
                    enrichment.append((domain, source, result.get("data"), result.get("error")))
                features.update(entry.get("features") or {})
                self._captured(state, entry.get("captured", []))
            if features:
                if state.get("has_features"):  # an earlier batch stored some: add to them
                    stored = self.store.enrichment(self.run_id, domain).get("import") or {}
                    features = {**(stored.get("data") or {}), **features}
                state["has_features"] = True
                enrichment.append((domain, "import", features, None))
        self.store.write_imported(self.run_id, [self._site_row(d) for d in batch], pages,
                                  assets, enrichment)
        by_domain: dict[str, SiteRecord] = {}
        for domain, page in pages:
            by_domain.setdefault(domain, SiteRecord(domain, "ok")).pages.append(page)
        self.reader.prepare(list(by_domain.values()))

    def _captured(self, state: dict, times: list) -> None:
        for when in times:
            moment = capture_time(when)
            if moment is None:
                continue
            first, last = state.get("captured", (moment, moment))
            state["captured"] = (min(first, moment), max(last, moment))
            self.first = min(self.first or moment, moment)
            self.last = max(self.last or moment, moment)

    def _site_row(self, domain: str) -> tuple:
        state = self.state[domain]
        ok = state["ok"]
        status = state.get("status") or state.get("given_status") or ("ok" if ok else "error")
        message = state.get("message") or (None if ok else "no page answered 2xx")
        captured = state.get("captured")
        when = captured[1].isoformat(timespec="seconds") if captured else now()
        seed = {"domain": domain, **(state.get("seed") or {})}
        return (domain, status, message, json.dumps(seed), state.get("start_url"),
                state.get("redirects_to"), when)
