"""The store: runs, sites, pages, enrichment, features, fingerprints, clusters.

A SQLite file (WAL mode) by default; a shared PostgreSQL database when the store is named
by a ``postgresql://`` URL (crawler/store/postgres.py), with the same tables and statements.
Every row belongs to one run; a command reads a run by id (default: the latest), so two runs
in one database never mix. Page HTML is stored zlib-compressed.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from crawler.store.derived import DerivedStore
from crawler.store.postgres import PostgresConnection, is_postgres, shown
from crawler.store.readings import ReadingStore
from crawler.store.report_rows import ReportRows
from crawler.store.runs import RunStore
from crawler.store.schema import SCHEMA, StoreError, now  # noqa: F401 - the store's interface
from crawler.store.sites import SiteStore


class Store(RunStore, SiteStore, DerivedStore, ReadingStore, ReportRows):
    """One database; safe to share between threads (one lock, one connection)."""

    def __init__(self, path: str | Path, create: bool = True):
        """Open the database at ``path`` (a file, or a ``postgresql://`` URL); with
        ``create=False`` (commands that only read runs) a missing database is a StoreError,
        and no file, folder or table is made."""
        self.lock = threading.RLock()
        self.changes: list[str] = []  # what opening did to the schema (`facade db migrate`)
        self.location = str(path)
        self.postgres = is_postgres(path)
        if self.postgres:
            self._open_postgres(str(path), create)
            return
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
            if not self._table_columns("runs"):
                self.changes.append("created the tables")
            self.db.executescript(SCHEMA)
            self._upgrade(create)
        except sqlite3.DatabaseError as exc:  # includes a corrupt ("bit-flipped") file
            raise StoreError(f"{self.path}: not a facade database ({exc})") from None
        except (sqlite3.Error, OSError) as exc:  # unwritable folder, a folder at the path
            raise StoreError(f"{self.path}: cannot open ({exc})") from None

    def _open_postgres(self, url: str, create: bool) -> None:
        self.path = shown(url)  # what messages name
        self.db = PostgresConnection(url)
        if not self.db.has_schema():
            if not create:
                self.db.close()
                raise StoreError(f"{self.path}: no facade tables yet (`facade db migrate"
                                 " --db URL` makes them)")
            self.db.create_schema()
            self.changes.append("created the tables")
        self._upgrade(create)

    # Columns added after a database may have been made: (table, column, declaration).
    ADDED_COLUMNS = [("links", "common", "TEXT"), ("pages", "digest", "TEXT")]

    def _upgrade(self, writable: bool) -> None:
        """Add the columns an older database lacks, when this store may write; a reader of
        an older database sees them as NULL (``self.columns``)."""
        self.columns: dict[str, set[str]] = {}
        for table, column, declaration in self.ADDED_COLUMNS:
            have = self._table_columns(table)
            if column not in have and writable:
                with self.db:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column}"
                                    f" {declaration}" if self.postgres else
                                    f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
                have.add(column)
                self.changes.append(f"added {table}.{column}")
            self.columns.setdefault(table, set()).update(have)

    def _table_columns(self, table: str) -> set[str]:
        if self.postgres:
            return self.db.columns(table)
        return {r[1] for r in self.db.execute(f"PRAGMA table_info({table})")}

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
