"""Runs: made, dated, resolved by id or label, resumed; which run a diff compares with."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from crawler.store.schema import StoreError, now


class RunStore:
    """The runs table (mixed into Store, which gives the connection)."""

    def create_run(self, label: str | None, options: dict, seeds_file: str,
                   warnings: list[str], sites: Iterable[dict] = ()) -> int:
        """A new run in state 'crawling', with its ``sites`` pending: one transaction, so a
        run is never seen without its sites."""
        with self.lock, self.db:
            cur = self.db.execute(
                "INSERT INTO runs(label, started_at, state, options, seeds_file, warnings)"
                " VALUES (?,?,?,?,?,?) RETURNING id",
                (label, now(), "crawling", json.dumps(options), seeds_file,
                 json.dumps(warnings)))
            run_id = int(cur.fetchone()[0])
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

    def set_run_warnings(self, run_id: int, warnings: list[str]) -> None:
        self._exec("UPDATE runs SET warnings=? WHERE id=?", (json.dumps(warnings), run_id))

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

