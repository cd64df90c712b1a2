"""The store's tables, and the clock its rows are dated by."""

from __future__ import annotations

from datetime import UTC, datetime

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    label TEXT, started_at TEXT, finished_at TEXT, state TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '{}', seeds_file TEXT, warnings TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS sites (
    run_id INTEGER NOT NULL REFERENCES runs(id), domain TEXT NOT NULL,
    status TEXT NOT NULL, message TEXT, seed TEXT NOT NULL DEFAULT '{}',
    start_url TEXT, redirects_to TEXT, updated_at TEXT, enriched INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, domain)
);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id INTEGER NOT NULL, domain TEXT NOT NULL, url TEXT NOT NULL, final_url TEXT,
    status INTEGER, depth INTEGER, headers TEXT, html BLOB, truncated INTEGER DEFAULT 0,
    redirect_urls TEXT, fetched_at TEXT
);
CREATE INDEX IF NOT EXISTS pages_site ON pages(run_id, domain);
CREATE TABLE IF NOT EXISTS page_readings (
    key TEXT PRIMARY KEY, reading BLOB NOT NULL, shingles BLOB, signature BLOB
);
CREATE TABLE IF NOT EXISTS assets (
    run_id INTEGER NOT NULL, domain TEXT NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL,
    status INTEGER, sha256 TEXT, mmh3 INTEGER, size INTEGER
);
CREATE INDEX IF NOT EXISTS assets_site ON assets(run_id, domain);
CREATE TABLE IF NOT EXISTS lookup_cache (
    kind TEXT NOT NULL, key TEXT NOT NULL, config TEXT NOT NULL, data TEXT NOT NULL,
    fetched_at TEXT NOT NULL, PRIMARY KEY (kind, key, config)
);
CREATE TABLE IF NOT EXISTS enrichment (
    run_id INTEGER NOT NULL, domain TEXT NOT NULL, source TEXT NOT NULL,
    data TEXT, error TEXT, PRIMARY KEY (run_id, domain, source)
);
CREATE TABLE IF NOT EXISTS features (
    run_id INTEGER NOT NULL, domain TEXT NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (run_id, domain, kind, value)
);
CREATE TABLE IF NOT EXISTS texts (
    run_id INTEGER NOT NULL, domain TEXT NOT NULL, text TEXT, fingerprint BLOB, scheme TEXT,
    PRIMARY KEY (run_id, domain)
);
CREATE TABLE IF NOT EXISTS clusters (
    run_id INTEGER NOT NULL, cluster_id TEXT NOT NULL, domains TEXT NOT NULL,
    evidence TEXT NOT NULL, links TEXT NOT NULL DEFAULT '[]',
    provenance TEXT NOT NULL DEFAULT '{}', PRIMARY KEY (run_id, cluster_id)
);
CREATE TABLE IF NOT EXISTS links (
    run_id INTEGER NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, domains TEXT NOT NULL,
    weight REAL NOT NULL, strength TEXT NOT NULL, reason TEXT
);
CREATE INDEX IF NOT EXISTS links_run ON links(run_id);
CREATE TABLE IF NOT EXISTS cluster_events (
    run_id INTEGER NOT NULL, event TEXT NOT NULL
);
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class StoreError(RuntimeError):
    """A user-facing problem with the store (no such run, not a facade database)."""

