"""The store on PostgreSQL: the same tables and statements as on SQLite, in its dialect.

The store's SQL is written for SQLite; ``translate`` rewrites each statement once (cached)
into PostgreSQL's: ``?`` placeholders, ``INSERT OR IGNORE/REPLACE`` as ``ON CONFLICT``, the
JSON functions, ``IS ?`` as ``IS NOT DISTINCT FROM``. The schema is SQLite's with
PostgreSQL's types; text is compared byte by byte (``COLLATE "C"``), as SQLite does, so
domain order, and with it every batch boundary, is the same on both. The tables SQLite reads
in insertion order (``ORDER BY rowid``) get a ``rowid`` column that keeps it.

Example:
    >>> translate("INSERT OR IGNORE INTO features(run_id, domain, kind, value) VALUES (?,?,?,?)")
    'INSERT INTO features(run_id, domain, kind, value) VALUES (%s,%s,%s,%s) ON CONFLICT DO NOTHING'
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crawler.store.schema import SCHEMA, StoreError

# The conflict target and columns of the tables written with INSERT OR REPLACE.
PRIMARY_KEYS = {
    "sites": ("run_id", "domain"), "enrichment": ("run_id", "domain", "source"),
    "lookup_cache": ("kind", "key", "config"), "page_readings": ("key",),
    "features": ("run_id", "domain", "kind", "value"), "texts": ("run_id", "domain"),
    "clusters": ("run_id", "cluster_id"),
}
ROWID_TABLES = ("sites", "assets", "features", "cluster_events")
SCHEMES = ("postgresql://", "postgres://")


def is_postgres(db: object) -> bool:
    return isinstance(db, str) and db.startswith(SCHEMES)


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def _schema() -> list[str]:
    out = []
    for statement in SCHEMA.split(";"):
        sql = statement.strip()
        if not sql:
            continue
        sql = sql.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGSERIAL PRIMARY KEY")
        sql = re.sub(r"\bINTEGER\b", "BIGINT", sql)
        sql = re.sub(r"\bBLOB\b", "BYTEA", sql)
        sql = re.sub(r"\bREAL\b", "DOUBLE PRECISION", sql)
        sql = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', sql)
        table = re.match(r"CREATE TABLE IF NOT EXISTS (\w+) \(", sql)
        if table and table.group(1) in ROWID_TABLES:
            sql = sql.replace("(\n", "(\n    rowid BIGSERIAL,\n", 1)
        out.append(sql)
    return out


PG_SCHEMA = _schema()


@lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """One SQLite statement of the store in PostgreSQL's dialect."""
    sql = sql.replace("%", "%%")
    sql = re.sub(r"json_extract\((\w+(?:\.\w+)?), '\$\.(\w+)'\)", r"(\1::json ->> '\2')", sql)
    sql = re.sub(r"json_extract\((\w+(?:\.\w+)?), '\$\[(\d+)\]'\)", r"(\1::json ->> \2)", sql)
    sql = re.sub(r"json_array_length\((\w+(?:\.\w+)?)\)", r"json_array_length(\1::json)", sql)
    sql = sql.replace(" IS ?", " IS NOT DISTINCT FROM ?").replace(" CROSS JOIN ", " JOIN ")
    ignore = re.match(r"\s*INSERT OR IGNORE INTO ", sql)
    replace = re.match(r"\s*INSERT OR REPLACE INTO (\w+)\(([^)]*)\)", sql)
    if ignore:
        sql = "INSERT INTO " + sql[ignore.end():] + " ON CONFLICT DO NOTHING"
    elif replace:
        table = replace.group(1)
        columns = [c.strip() for c in replace.group(2).split(",")]
        keys = PRIMARY_KEYS[table]
        update = ", ".join(f"{c}=EXCLUDED.{c}" for c in columns if c not in keys)
        sql = ("INSERT INTO " + sql[replace.start(1):] + f" ON CONFLICT ({', '.join(keys)})"
               + (f" DO UPDATE SET {update}" if update else " DO NOTHING"))
    return sql.replace("?", "%s")


class PostgresConnection:
    """One psycopg connection in autocommit, taking the store's SQLite statements; a
    ``with`` block is one transaction, as with a sqlite3 connection."""

    def __init__(self, url: str):
        import psycopg

        self.url = url
        try:
            self.con = psycopg.connect(url, autocommit=True, connect_timeout=30)
        except psycopg.Error as exc:
            raise StoreError(f"{shown(url)}: cannot connect "
                             f"({str(exc).strip().splitlines()[-1]})") from None

    def execute(self, sql: str, args: tuple = ()) -> Any:
        return self.con.execute(translate(sql), args or None, prepare=False)

    def executemany(self, sql: str, rows: list) -> None:
        if rows:
            with self.con.cursor() as cur:
                cur.executemany(translate(sql), rows)

    def __enter__(self) -> PostgresConnection:
        self._tx = self.con.transaction()
        self._tx.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self._tx.__exit__(*exc)

    def columns(self, table: str) -> set[str]:
        return {r[0] for r in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = %s", (table,))}

    def has_schema(self) -> bool:
        return bool(self.columns("runs"))

    def create_schema(self) -> None:
        with self.con.transaction():
            # Two commands migrating one database at once wait for each other.
            self.con.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_SPACE - 1,))
            for statement in PG_SCHEMA:
                self.con.execute(statement)

    def close(self) -> None:
        self.con.close()


LOCK_SPACE = 0x0FACADE0  # advisory lock keys: this one is "a crawl of this database"


@contextmanager
def advisory_lock(url: str, wait: bool, notice=None, poll: float = 1.0):
    """Hold the database's crawl lock for the block: a session-level advisory lock on a
    connection of its own, freed by the server when that connection ends, so a killed
    crawl never leaves it held."""
    import time

    from crawler.store.lock import Busy

    con = PostgresConnection(url)
    try:
        told = False
        while not con.con.execute("SELECT pg_try_advisory_lock(%s)",
                                  (LOCK_SPACE,)).fetchone()[0]:
            if not wait:
                raise Busy(f"another crawl of {shown(url)} is running")
            if notice and not told:
                notice(f"another crawl of {shown(url)} is running; waiting for it")
                told = True
            time.sleep(poll)
        yield
    finally:
        con.close()
