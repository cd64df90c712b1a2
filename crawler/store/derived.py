"""What `facade cluster` derives and stores: features, text fingerprints, evidence, clusters
and their events, and the history of a site across runs."""

from __future__ import annotations

import json
from collections.abc import Iterable

from analysis.evidence.cluster import cluster_number


class DerivedStore:
    """Features, texts, links, clusters (mixed into Store)."""

    def replace_features(self, run_id: int, rows: list[tuple[str, str, str]]) -> None:
        self.clear_features(run_id)
        self.add_features(run_id, rows)

    def clear_features(self, run_id: int) -> None:
        self._exec("DELETE FROM features WHERE run_id=?", (run_id,))

    def add_features(self, run_id: int, rows: Iterable[tuple[str, str, str]]) -> None:
        self._many("INSERT OR IGNORE INTO features(run_id, domain, kind, value) VALUES (?,?,?,?)",
                   ((run_id, d, k, v) for d, k, v in rows))

    def features(self, run_id: int) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = {}
        for domain, kind, value in self._query(
            "SELECT domain, kind, value FROM features WHERE run_id=? ORDER BY rowid", (run_id,)
        ):
            out.setdefault(domain, {}).setdefault(kind, []).append(value)
        return out

    def replace_texts(self, run_id: int,
                      rows: Iterable[tuple[str, str | None, bytes | None, str]]) -> None:
        with self.lock, self.db:
            self.db.execute("DELETE FROM texts WHERE run_id=?", (run_id,))
            self.db.executemany(
                "INSERT INTO texts(run_id, domain, text, fingerprint, scheme) VALUES (?,?,?,?,?)",
                ((run_id, *r) for r in rows),
            )

    def replace_clusters(self, run_id: int, clusters: Iterable[dict], links: list[dict]
                         ) -> None:
        with self.lock, self.db:
            self.db.execute("DELETE FROM clusters WHERE run_id=?", (run_id,))
            self.db.execute("DELETE FROM links WHERE run_id=?", (run_id,))
            self.db.executemany(
                "INSERT INTO clusters(run_id, cluster_id, domains, evidence, links, provenance)"
                " VALUES (?,?,?,?,?,?)",
                ((run_id, c["id"], json.dumps(c["domains"]), json.dumps(c["evidence"]),
                  json.dumps(c.get("links", [])), json.dumps(c.get("provenance", {})))
                 for c in clusters),
            )
            self.db.executemany(
                "INSERT INTO links(run_id, kind, value, domains, weight, strength, reason,"
                " common) VALUES (?,?,?,?,?,?,?,?)",
                [(run_id, e["kind"], e["value"], json.dumps(e["domains"]), e["weight"],
                  e["strength"], e.get("reason"), e.get("common")) for e in links],
            )

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
        for run_id, kind, value in self._query(  # a primary-key range per run, no scan
                "SELECT r.id, f.kind, f.value FROM runs r CROSS JOIN features f"
                " ON f.run_id = r.id AND f.domain = ? ORDER BY r.id", (domain,)):
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

    def links(self, run_id: int, commons_only: bool = False) -> list[dict]:
        common = "common" if "common" in self.columns["links"] else "NULL"
        rows = self._query(
            f"SELECT kind, value, domains, weight, strength, reason, {common} FROM links"
            " WHERE run_id=?" + (" AND weight = 0" if commons_only else ""), (run_id,))
        return [{"kind": r[0], "value": r[1], "domains": json.loads(r[2]), "weight": r[3],
                 "strength": r[4], "reason": r[5], "common": r[6]} for r in rows]

    def common_count(self, run_id: int) -> int:
        return int(self._query("SELECT count(*) FROM links WHERE run_id=? AND weight = 0",
                               (run_id,))[0][0])

    def common_links(self, run_id: int) -> list[dict]:
        """Shared values the run ignored as common (weight 0)."""
        return self.links(run_id, commons_only=True)
