"""The SQLite store (WAL mode): runs, sites, pages, enrichment, features, fingerprints, clusters.

Every row belongs to one run; a command reads a run by id (default: the latest), so two runs
in one database never mix. Page HTML is stored zlib-compressed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from analysis.cluster import cluster_number
from analysis.records import Asset, Page, SiteRecord

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


class Store:
    """One SQLite database file; safe to share between threads (one lock, one connection)."""

    def __init__(self, path: str | Path, create: bool = True):
        """Open the database at ``path``; with ``create=False`` (commands that only read
        runs) a missing database is a StoreError, and no file or folder is made."""
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise StoreError(f"{self.path}: no such database (`facade crawl SEEDS` or"
                             " `facade import FILE` makes one; --db names another)")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create its folder "
                             f"({exc.strerror or exc})") from None
        try:
            self.db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
            self._upgrade(create)
        except sqlite3.DatabaseError as exc:  # includes a corrupt ("bit-flipped") file
            raise StoreError(f"{self.path}: not a facade database ({exc})") from None
        except (sqlite3.Error, OSError) as exc:  # unwritable folder, a folder at the path
            raise StoreError(f"{self.path}: cannot open ({exc})") from None
        self.lock = threading.RLock()

    # Columns added after a database may have been made: (table, column, declaration).
    ADDED_COLUMNS = [("links", "common", "TEXT")]

    def _upgrade(self, writable: bool) -> None:
        """Add the columns an older database lacks, when this store may write; a reader of
        an older database sees them as NULL (``self.columns``)."""
        self.columns: dict[str, set[str]] = {}
        for table, column, declaration in self.ADDED_COLUMNS:
            have = {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}
            if column not in have and writable:
                with self.db:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
                have.add(column)
            self.columns[table] = have

    def close(self) -> None:
        self.db.close()

    def _exec(self, sql: str, args: Iterable[Any] = ()) -> sqlite3.Cursor:
        with self.lock, self.db:
            return self.db.execute(sql, tuple(args))

    def _many(self, sql: str, rows: Iterable[Iterable[Any]]) -> None:
        with self.lock, self.db:
            self.db.executemany(sql, [tuple(r) for r in rows])

    def _query(self, sql: str, args: Iterable[Any] = ()) -> list[tuple]:
        with self.lock:
            return self.db.execute(sql, tuple(args)).fetchall()

    # ---- runs ------------------------------------------------------------------------

    def create_run(self, label: str | None, options: dict, seeds_file: str,
                   warnings: list[str], sites: Iterable[dict] = ()) -> int:
        """A new run in state 'crawling', with its ``sites`` pending: one transaction, so a
        run is never seen without its sites."""
        with self.lock, self.db:
            cur = self.db.execute(
                "INSERT INTO runs(label, started_at, state, options, seeds_file, warnings)"
                " VALUES (?,?,?,?,?,?)",
                (label, now(), "crawling", json.dumps(options), seeds_file,
                 json.dumps(warnings)))
            run_id = int(cur.lastrowid)
            self.db.executemany(
                "INSERT OR IGNORE INTO sites(run_id, domain, status, seed, updated_at)"
                " VALUES (?,?,?,?,?)",
                [(run_id, s["domain"], "pending", json.dumps(s), now()) for s in sites])
        return run_id

    def latest_run_id(self) -> int:
        """The newest run's id, 0 when there is none."""
        return int(self._query("SELECT coalesce(max(id), 0) FROM runs")[0][0])

    def set_run_state(self, run_id: int, state: str, finished: bool = False) -> None:
        if finished:
            self._exec("UPDATE runs SET state=?, finished_at=? WHERE id=?", (state, now(), run_id))
        else:
            self._exec("UPDATE runs SET state=? WHERE id=?", (state, run_id))

    def set_run_times(self, run_id: int, started_at: str, finished_at: str) -> None:
        """Date a run by when its pages were captured (an import of other crawlers' work)."""
        self._exec("UPDATE runs SET started_at=?, finished_at=? WHERE id=?",
                   (started_at, finished_at, run_id))

    def interrupted_run(self) -> dict | None:
        """The latest run whose crawl never finished (killed, crashed), if it is the latest."""
        rows = self._query("SELECT max(id) FROM runs")
        if not rows or rows[0][0] is None:
            return None
        info = self.run_info(int(rows[0][0]))
        return info if info["state"] == "crawling" else None

    def reset_incomplete(self, run_id: int) -> list[str]:
        """The sites a run did not finish, pending again; what they already have is kept.

        A site is finished when its status is final and its enrichment is written. Any other
        site keeps the pages, assets and enrichment sources already stored (a resumed crawl
        replays them instead of asking again, see ``stored_work``) and is pending.
        """
        with self.lock, self.db:
            domains = [d for (d,) in self.db.execute(
                "SELECT domain FROM sites WHERE run_id=? AND (status='pending' OR enriched=0)"
                " ORDER BY rowid", (run_id,))]
            self.db.executemany(
                "UPDATE sites SET status='pending', message=NULL, start_url=NULL,"
                " redirects_to=NULL, enriched=0 WHERE run_id=? AND domain=?",
                [(run_id, d) for d in domains])
        return domains

    def cache_get(self, kind: str, key: str, config: str, max_age_days: float):
        """(data, fetched_at) of a cached registry answer younger than ``max_age_days``."""
        rows = self._query("SELECT data, fetched_at FROM lookup_cache WHERE kind=? AND key=?"
                           " AND config=?", (kind, key, config))
        if not rows:
            return None
        fetched = datetime.fromisoformat(rows[0][1])
        if (datetime.now(UTC) - fetched).total_seconds() > max_age_days * 86400:
            return None
        return json.loads(rows[0][0]), rows[0][1]

    def cache_put(self, kind: str, key: str, config: str, data: Any) -> None:
        self._exec("INSERT OR REPLACE INTO lookup_cache(kind, key, config, data, fetched_at)"
                   " VALUES (?,?,?,?,?)", (kind, key, config, json.dumps(data, default=str),
                                           now()))

    def put_site_enrichment(self, run_id: int, domain: str,
                            results: dict[str, tuple[Any, str | None]]) -> None:
        """Every enrichment result of a site, and the mark that it is complete, atomically."""
        with self.lock, self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO enrichment(run_id, domain, source, data, error)"
                " VALUES (?,?,?,?,?)",
                [(run_id, domain, source, json.dumps(data, default=str), error)
                 for source, (data, error) in results.items()])
            self.db.execute("UPDATE sites SET enriched=1 WHERE run_id=? AND domain=?",
                            (run_id, domain))

    def resolve_run(self, run_id: int | str | None) -> int:
        """The id of the named run, or of the latest one; StoreError if there is none."""
        if run_id is None:
            rows = self._query("SELECT max(id) FROM runs")
            if not rows or rows[0][0] is None:
                raise StoreError(f"{self.path}: no runs yet; run `facade crawl SEEDS` first")
            return int(rows[0][0])
        try:
            wanted = int(run_id)
        except (TypeError, ValueError):
            raise StoreError(f"run id must be a number, got {run_id!r}") from None
        if not self._query("SELECT 1 FROM runs WHERE id=?", (wanted,)):
            raise StoreError(f"{self.path}: no run with id {wanted}")
        return wanted

    def run_info(self, run_id: int) -> dict:
        row = self._query(
            "SELECT id, label, started_at, finished_at, state, options, seeds_file, warnings"
            " FROM runs WHERE id=?",
            (run_id,),
        )[0]
        return {
            "id": row[0], "label": row[1], "started_at": row[2], "finished_at": row[3],
            "state": row[4], "options": json.loads(row[5]), "seeds_file": row[6],
            "warnings": json.loads(row[7]),
        }

    # ---- sites and pages -------------------------------------------------------------

    def add_sites(self, run_id: int, seeds: list[dict]) -> None:
        self._many(
            "INSERT OR IGNORE INTO sites(run_id, domain, status, seed, updated_at)"
            " VALUES (?,?,?,?,?)",
            ((run_id, s["domain"], "pending", json.dumps(s), now()) for s in seeds),
        )

    def set_site(self, run_id: int, domain: str, **fields: Any) -> None:
        allowed = {"status", "message", "start_url", "redirects_to"}
        cols = [k for k in fields if k in allowed]
        if not cols:
            return
        sql = ", ".join(f"{c}=?" for c in cols)
        self._exec(
            f"UPDATE sites SET {sql}, updated_at=? WHERE run_id=? AND domain=?",
            [fields[c] for c in cols] + [now(), run_id, domain],
        )

    def set_site_time(self, run_id: int, domain: str, when: str) -> None:
        """Date a site by when its pages were captured (an import), not when it was stored."""
        self._exec("UPDATE sites SET updated_at=? WHERE run_id=? AND domain=?",
                   (when, run_id, domain))

    def sites(self, run_id: int) -> list[dict]:
        rows = self._query(
            "SELECT domain, status, message, seed, start_url, redirects_to FROM sites"
            " WHERE run_id=? ORDER BY domain",
            (run_id,),
        )
        return [
            {"domain": r[0], "status": r[1], "message": r[2], "seed": json.loads(r[3]),
             "start_url": r[4], "redirects_to": r[5]}
            for r in rows
        ]

    def finished_count(self, run_id: int) -> tuple[int, int]:
        """(sites finished, sites in the run): finished is a final status and enrichment."""
        row = self._query("SELECT sum(status != 'pending' AND enriched = 1), count(*) FROM sites"
                          " WHERE run_id=?", (run_id,))[0]
        return int(row[0] or 0), int(row[1])

    def add_page(self, run_id: int, domain: str, page: Page) -> None:
        """Store a page, once: a page a resumed crawl replays is already there."""
        self._exec(
            "INSERT INTO pages(run_id, domain, url, final_url, status, depth, headers, html,"
            " truncated, redirect_urls, fetched_at) SELECT ?,?,?,?,?,?,?,?,?,?,? WHERE NOT"
            " EXISTS (SELECT 1 FROM pages WHERE run_id=? AND domain=? AND url=?"
            " AND final_url IS ?)",
            (run_id, domain, page.url, page.final_url, page.status, page.depth,
             json.dumps(page.headers), zlib.compress(page.html.encode("utf-8", "replace")),
             int(page.truncated), json.dumps(page.redirect_urls), now(),
             run_id, domain, page.url, page.final_url),
        )

    def replace_content(self, run_id: int, domain: str, pages: list[Page],
                        assets: list[Asset]) -> None:
        """A site's pages and files replaced (the live banner and its image by the archive's
        captures: the live outcome is kept in the site's message and ``archive`` source)."""
        self._exec("DELETE FROM pages WHERE run_id=? AND domain=?", (run_id, domain))
        self._exec("DELETE FROM assets WHERE run_id=? AND domain=?", (run_id, domain))
        for page in pages:
            self.add_page(run_id, domain, page)
        for asset in assets:
            self.add_asset(run_id, domain, asset)

    def start_page_html(self, run_id: int, domain: str) -> str | None:
        """The HTML of a site's first start page (depth 0), without reading its others."""
        rows = self._query("SELECT html FROM pages WHERE run_id=? AND domain=? AND depth=0"
                           " ORDER BY id LIMIT 1", (run_id, domain))
        return zlib.decompress(rows[0][0]).decode("utf-8", "replace") if rows else None

    def pages(self, run_id: int, domain: str) -> list[Page]:
        rows = self._query(
            "SELECT url, final_url, status, depth, headers, html, truncated, redirect_urls"
            " FROM pages WHERE run_id=? AND domain=? ORDER BY id",
            (run_id, domain),
        )
        return [
            Page(url=r[0], final_url=r[1], status=r[2], depth=r[3], headers=json.loads(r[4]),
                 html=zlib.decompress(r[5]).decode("utf-8", "replace"), truncated=bool(r[6]),
                 redirect_urls=json.loads(r[7]))
            for r in rows
        ]

    def add_asset(self, run_id: int, domain: str, asset: Asset) -> None:
        self._exec(
            "INSERT INTO assets(run_id, domain, url, kind, status, sha256, mmh3, size)"
            " SELECT ?,?,?,?,?,?,?,? WHERE NOT EXISTS (SELECT 1 FROM assets WHERE run_id=?"
            " AND domain=? AND url=?)",
            (run_id, domain, asset.url, asset.kind, asset.status, asset.sha256, asset.mmh3,
             asset.size, run_id, domain, asset.url),
        )

    def stored_work(self, run_id: int, domains: list[str]):
        """What unfinished sites already have: pages by the URL asked for, asset URLs, and
        enrichment results by domain and source ((data, error), as enrichment gives them)."""
        wanted = set(domains)
        pages: dict[str, Page] = {}
        assets: set[str] = set()
        enrichment: dict[str, dict] = {}
        for domain in wanted:
            for page in self.pages(run_id, domain):
                pages.setdefault(page.url, page)
            assets.update(a.url for a in self.assets(run_id, domain))
            done = self.enrichment(run_id, domain)
            if done:
                enrichment[domain] = {src: (e["data"], e["error"]) for src, e in done.items()}
        return pages, assets, enrichment

    def assets(self, run_id: int, domain: str) -> list[Asset]:
        rows = self._query(
            "SELECT url, kind, status, sha256, mmh3, size FROM assets"
            " WHERE run_id=? AND domain=? ORDER BY rowid",
            (run_id, domain),
        )
        return [Asset(*r) for r in rows]

    def page_count(self, run_id: int) -> int:
        return int(self._query("SELECT count(*) FROM pages WHERE run_id=?", (run_id,))[0][0])

    # ---- enrichment --------------------------------------------------------------------

    def put_enrichment(self, run_id: int, domain: str, source: str, data: Any,
                       error: str | None) -> None:
        self._exec(
            "INSERT OR REPLACE INTO enrichment(run_id, domain, source, data, error)"
            " VALUES (?,?,?,?,?)",
            (run_id, domain, source, json.dumps(data, default=str), error),
        )

    def enrichment(self, run_id: int, domain: str) -> dict[str, dict]:
        rows = self._query(
            "SELECT source, data, error FROM enrichment WHERE run_id=? AND domain=?",
            (run_id, domain),
        )
        return {r[0]: {"data": json.loads(r[1]) if r[1] else None, "error": r[2]} for r in rows}

    def site_records(self, run_id: int) -> Iterator[SiteRecord]:
        """Every site of a run with its pages and enrichment: the input of the features stage."""
        for site in self.sites(run_id):
            yield SiteRecord(
                domain=site["domain"], status=site["status"], message=site["message"],
                redirects_to=site["redirects_to"], pages=self.pages(run_id, site["domain"]),
                enrichment=self.enrichment(run_id, site["domain"]),
                assets=self.assets(run_id, site["domain"]),
                role=site["seed"].get("role", "seed"),
            )

    # ---- derived: features, texts, links, clusters ------------------------------------

    def replace_features(self, run_id: int, rows: list[tuple[str, str, str]]) -> None:
        with self.lock, self.db:
            self.db.execute("DELETE FROM features WHERE run_id=?", (run_id,))
            self.db.executemany(
                "INSERT OR IGNORE INTO features(run_id, domain, kind, value) VALUES (?,?,?,?)",
                [(run_id, d, k, v) for d, k, v in rows],
            )

    def features(self, run_id: int) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = {}
        for domain, kind, value in self._query(
            "SELECT domain, kind, value FROM features WHERE run_id=? ORDER BY rowid", (run_id,)
        ):
            out.setdefault(domain, {}).setdefault(kind, []).append(value)
        return out

    def replace_texts(self, run_id: int, rows: list[tuple[str, str, bytes | None, str]]) -> None:
        with self.lock, self.db:
            self.db.execute("DELETE FROM texts WHERE run_id=?", (run_id,))
            self.db.executemany(
                "INSERT INTO texts(run_id, domain, text, fingerprint, scheme) VALUES (?,?,?,?,?)",
                [(run_id, *r) for r in rows],
            )

    def replace_clusters(self, run_id: int, clusters: list[dict], links: list[dict]) -> None:
        with self.lock, self.db:
            self.db.execute("DELETE FROM clusters WHERE run_id=?", (run_id,))
            self.db.execute("DELETE FROM links WHERE run_id=?", (run_id,))
            self.db.executemany(
                "INSERT INTO clusters(run_id, cluster_id, domains, evidence, links, provenance)"
                " VALUES (?,?,?,?,?,?)",
                [(run_id, c["id"], json.dumps(c["domains"]), json.dumps(c["evidence"]),
                  json.dumps(c.get("links", [])), json.dumps(c.get("provenance", {})))
                 for c in clusters],
            )
            self.db.executemany(
                "INSERT INTO links(run_id, kind, value, domains, weight, strength, reason,"
                " common) VALUES (?,?,?,?,?,?,?,?)",
                [(run_id, e["kind"], e["value"], json.dumps(e["domains"]), e["weight"],
                  e["strength"], e.get("reason"), e.get("common")) for e in links],
            )

    _ANSWERED = ("state IN ('crawled', 'clustered') AND EXISTS (SELECT 1 FROM sites s WHERE"
                 " s.run_id = runs.id AND s.status = 'ok')")

    def previous_run(self, run_id: int) -> int | None:
        """The run before ``run_id`` that a diff compares with: finished, and at least one
        site answered (a week in which nothing answered, e.g. through a wrong proxy, is kept
        but is no base: naming it with --from still compares with it)."""
        rows = self._query(f"SELECT max(id) FROM runs WHERE id < ? AND {self._ANSWERED}",
                           (run_id,))
        return rows[0][0] if rows and rows[0][0] is not None else None

    def latest_answered_run(self) -> int | None:
        """The latest finished run in which at least one site answered."""
        rows = self._query(f"SELECT max(id) FROM runs WHERE {self._ANSWERED}")
        return rows[0][0] if rows and rows[0][0] is not None else None

    def previous_clustered_run(self, run_id: int) -> int | None:
        """The run whose clusters give ``run_id``'s their ids: the last one with clusters."""
        rows = self._query("SELECT max(id) FROM runs WHERE id < ? AND state='clustered' AND"
                           " EXISTS (SELECT 1 FROM clusters c WHERE c.run_id = runs.id)",
                           (run_id,))
        return rows[0][0] if rows and rows[0][0] is not None else None

    def highest_cluster_number(self, before_run: int) -> int:
        rows = self._query("SELECT cluster_id FROM clusters WHERE run_id < ?", (before_run,))
        return max((n for r in rows if (n := cluster_number(r[0])) is not None), default=0)

    def replace_events(self, run_id: int, events: list[dict]) -> None:
        with self.lock, self.db:
            self.db.execute("DELETE FROM cluster_events WHERE run_id=?", (run_id,))
            self.db.executemany("INSERT INTO cluster_events(run_id, event) VALUES (?,?)",
                                [(run_id, json.dumps(e)) for e in events])

    def events(self, run_id: int) -> list[dict]:
        return [json.loads(r[0]) for r in self._query(
            "SELECT event FROM cluster_events WHERE run_id=? ORDER BY rowid", (run_id,))]

    def site_history(self, domain: str) -> list[tuple[int, str, str]]:
        """(run id, started_at, status) of every run that had the domain, oldest first."""
        return self._query(
            "SELECT r.id, r.started_at, s.status FROM sites s JOIN runs r ON r.id = s.run_id"
            " WHERE s.domain=? ORDER BY r.id", (domain,))

    def feature_history(self, domain: str) -> dict[str, dict[str, list[int]]]:
        """kind -> value -> the runs it was seen in."""
        out: dict[str, dict[str, list[int]]] = {}
        for run_id, kind, value in self._query(
                "SELECT run_id, kind, value FROM features WHERE domain=? ORDER BY run_id",
                (domain,)):
            out.setdefault(kind, {}).setdefault(value, []).append(run_id)
        return out

    def values_elsewhere(self, run_id: int, kinds: list[str]) -> list[tuple[str, str, str]]:
        """(domain, kind, value) of the given feature kinds stored by runs other than this."""
        marks = ",".join("?" * len(kinds))
        return self._query(f"SELECT DISTINCT domain, kind, value FROM features WHERE run_id != ?"
                           f" AND kind IN ({marks})", (run_id, *kinds))

    def first_last_seen(self, run_id: int) -> dict[str, tuple[str | None, str | None]]:
        """Per site of a run: when it was first and last crawled ``ok``, up to this run."""
        rows = self._query(
            "SELECT s.domain, min(r.started_at), max(r.started_at) FROM sites s"
            " JOIN runs r ON r.id = s.run_id WHERE s.status='ok' AND r.id <= ?"
            " AND s.domain IN (SELECT domain FROM sites WHERE run_id=?) GROUP BY s.domain",
            (run_id, run_id))
        return {d: (first, last) for d, first, last in rows}

    def texts(self, run_id: int) -> dict[str, bytes]:
        return {d: fp for d, fp in self._query(
            "SELECT domain, fingerprint FROM texts WHERE run_id=? AND fingerprint IS NOT NULL",
            (run_id,))}

    def clusters(self, run_id: int) -> list[dict]:
        rows = self._query(
            "SELECT cluster_id, domains, evidence, links, provenance FROM clusters"
            " WHERE run_id=? ORDER BY cluster_id",
            (run_id,),
        )
        out = [{"id": r[0], "domains": json.loads(r[1]), "evidence": json.loads(r[2]),
                "links": json.loads(r[3]), **json.loads(r[4])} for r in rows]
        return sorted(out, key=lambda c: (-len(c["domains"]), c["id"]))  # largest first

    def links(self, run_id: int) -> list[dict]:
        common = "common" if "common" in self.columns["links"] else "NULL"
        rows = self._query(
            f"SELECT kind, value, domains, weight, strength, reason, {common} FROM links"
            " WHERE run_id=?", (run_id,))
        return [{"kind": r[0], "value": r[1], "domains": json.loads(r[2]), "weight": r[3],
                 "strength": r[4], "reason": r[5], "common": r[6]} for r in rows]
