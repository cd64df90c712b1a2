"""What a report of a clustered run reads from the store, a batch at a time: its sites with
their features in domain order, its linked clusters whole and its lone sites' clusters as a
stream, so that a report of a million sites never holds them all."""

from __future__ import annotations

import json
from collections.abc import Iterator

SiteRow = tuple[dict, dict[str, list[str]]]  # (site row, feature kind -> values)
_REFERENCE = "coalesce(json_extract(seed, '$.role'), '') = 'reference'"
BATCH = 2000  # sites (or lone clusters) read at a time


def _cluster(row: tuple) -> dict:
    return {"id": row[0], "domains": json.loads(row[1]), "evidence": json.loads(row[2]),
            "links": json.loads(row[3]), **json.loads(row[4])}


class ReportRows:
    """Sites, features and clusters of a run for its report (mixed into Store)."""

    def site_batches(self, run_id: int, references: bool = False,
                     size: int | None = None) -> Iterator[list[SiteRow]]:
        """The run's seeds (or its reference sites), ``size`` at a time in domain order,
        each with its features (values in the order they were stored) and when it was first
        and last seen ``ok`` up to this run."""
        role = _REFERENCE if references else f"NOT {_REFERENCE}"
        last = ""
        while rows := self._query(
                "SELECT domain, status, message, seed FROM sites WHERE run_id=? AND domain > ?"
                f" AND {role} ORDER BY domain LIMIT ?", (run_id, last, size or BATCH)):
            first, last = rows[0][0], rows[-1][0]
            features: dict[str, dict[str, list[str]]] = {}
            for domain, kind, value in self._query(
                    "SELECT domain, kind, value FROM features WHERE run_id=? AND domain BETWEEN"
                    " ? AND ? ORDER BY rowid", (run_id, first, last)):
                features.setdefault(domain, {}).setdefault(kind, []).append(value)
            # Runs first (CROSS JOIN keeps that order): each run's sites are then a range
            # of its primary key, where the other order scans every earlier run's sites.
            seen = {d: (a, b) for d, a, b in self._query(
                "SELECT s.domain, min(r.started_at), max(r.started_at) FROM runs r CROSS JOIN"
                " sites s ON s.run_id = r.id WHERE r.id <= ? AND s.domain BETWEEN ? AND ?"
                " AND s.status='ok' GROUP BY s.domain", (run_id, first, last))}
            yield [({"domain": d, "status": status, "message": message,
                     "seed": json.loads(seed), "first_seen": seen.get(d, (None, None))[0],
                     "last_seen": seen.get(d, (None, None))[1]}, features.get(d, {}))
                   for d, status, message, seed in rows]

    def site_tally(self, run_id: int) -> tuple[int, int]:
        """(seeds, seeds ok): reference sites aside, and a parking or seizure page is not ok."""
        row = self._query(
            "SELECT count(*), coalesce(sum(CASE WHEN status = 'ok' AND NOT EXISTS (SELECT 1"
            " FROM features f WHERE f.run_id = s.run_id AND f.domain = s.domain AND"
            f" f.kind = 'page_status') THEN 1 END), 0) FROM sites s WHERE run_id=? AND NOT"
            f" {_REFERENCE}", (run_id,))[0]
        return int(row[0]), int(row[1])

    def captured_at(self, run_id: int) -> dict[str, str]:
        """domain -> when the web archive captured its pages, for archived sites only."""
        return {d: v for d, v in self._query(
            "SELECT domain, min(value) FROM features WHERE run_id=? AND kind='captured_at'"
            " GROUP BY domain", (run_id,))}

    def linked_clusters(self, run_id: int) -> list[dict]:
        """Clusters of two sites or more, largest first."""
        out = [_cluster(r) for r in self._query(
            "SELECT cluster_id, domains, evidence, links, provenance FROM clusters"
            " WHERE run_id=? AND json_array_length(domains) > 1", (run_id,))]
        return sorted(out, key=lambda c: (-len(c["domains"]), c["id"]))

    def lone_clusters(self, run_id: int, size: int | None = None) -> Iterator[dict]:
        """Clusters of one site, in cluster id order, read ``size`` at a time."""
        last = ""
        while rows := self._query(
                "SELECT cluster_id, domains, evidence, links, provenance FROM clusters"
                " WHERE run_id=? AND cluster_id > ? AND json_array_length(domains) = 1"
                " ORDER BY cluster_id LIMIT ?", (run_id, last, size or BATCH)):
            last = rows[-1][0]
            yield from (_cluster(r) for r in rows)

    def lone_cluster_ids(self, run_id: int) -> dict[str, str]:
        """domain -> its cluster id, for the sites that stand alone."""
        return {d: c for c, d in self._query(
            "SELECT cluster_id, json_extract(domains, '$[0]') FROM clusters WHERE run_id=?"
            " AND json_array_length(domains) = 1", (run_id,))}

    def text_pairs(self, from_run: int, to_run: int, size: int | None = None
                   ) -> Iterator[tuple[str, bytes, bytes]]:
        """(domain, fingerprint then, fingerprint now) of the sites with a text fingerprint
        in both runs, in domain order, read ``size`` at a time."""
        last = ""
        while rows := self._query(
                "SELECT a.domain, a.fingerprint, b.fingerprint FROM texts a JOIN texts b"
                " ON b.run_id = ? AND b.domain = a.domain WHERE a.run_id = ? AND a.domain > ?"
                " AND a.fingerprint IS NOT NULL AND b.fingerprint IS NOT NULL"
                " ORDER BY a.domain LIMIT ?", (to_run, from_run, last, size or BATCH)):
            last = rows[-1][0]
            yield from rows
