"""Page readings kept by content (analysis/page_reading.py), and sites read back in batches
with their pages' content hashes instead of their HTML: what ``facade cluster`` streams."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator

from analysis.records import Asset, Page, SiteRecord, html_digest

_IN = 500  # values bound in one IN (...) query


def _chunks(items: list, size: int = _IN) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _html(blob: bytes | None) -> str:
    return zlib.decompress(blob).decode("utf-8", "replace") if blob else ""


class ReadingStore:
    """Page readings and batched site records (mixed into Store)."""

    def readings(self, keys: list[str]) -> dict[str, dict]:
        """Stored readings by key (keys without one are left out)."""
        out: dict[str, dict] = {}
        for chunk in _chunks(sorted(set(keys))):
            marks = ",".join("?" * len(chunk))
            for key, blob, shingles, signature in self._query(
                    "SELECT key, reading, shingles, signature FROM page_readings"
                    f" WHERE key IN ({marks})", chunk):
                reading = json.loads(zlib.decompress(blob))
                reading["shingles"], reading["signature"] = shingles, signature
                out[key] = reading
        return out

    def put_readings(self, rows: list[tuple[str, dict, bytes, bytes | None]]) -> None:
        """Keep readings (key, reading, its text's shingles, their MinHash signature); one
        transaction."""
        with self.lock, self.db:
            self.db.executemany(
                "INSERT OR IGNORE INTO page_readings(key, reading, shingles, signature)"
                " VALUES (?,?,?,?)",
                [(key, zlib.compress(json.dumps(reading, ensure_ascii=False).encode(
                    "utf-8", "replace"), 1), shingles, signature)
                 for key, reading, shingles, signature in rows])

    def page_html(self, ids: list[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            out.update((i, _html(b)) for i, b in self._query(
                f"SELECT id, html FROM pages WHERE id IN ({marks})", chunk))
        return out

    def site_record_batches(self, run_id: int, size: int = 2000,
                            domains: list[str] | None = None) -> Iterator[list[SiteRecord]]:
        """The run's sites (or the named ``domains`` of it), ``size`` at a time in domain
        order, with enrichment, assets and pages; a page comes with its content hash and
        without its HTML (html ""), unless it was stored before hashes were kept."""
        named = iter(_chunks(sorted(set(domains)), min(size, _IN))) if domains is not None \
            else None
        last = ""
        while True:
            if named is not None:
                wanted = next(named, [])
                rows = self._query(
                    "SELECT domain, status, message, seed, redirects_to FROM sites WHERE"
                    f" run_id=? AND domain IN ({','.join('?' * len(wanted))}) ORDER BY domain",
                    (run_id, *wanted)) if wanted else []
            else:
                rows = self._query(
                    "SELECT domain, status, message, seed, redirects_to FROM sites"
                    " WHERE run_id=? AND domain > ? ORDER BY domain LIMIT ?",
                    (run_id, last, size))
            if not rows:
                return
            last = rows[-1][0]
            records = {r[0]: SiteRecord(domain=r[0], status=r[1], message=r[2],
                                        redirects_to=r[4],
                                        role=json.loads(r[3]).get("role", "seed"))
                       for r in rows}
            if named is not None:
                where = f"domain IN ({','.join('?' * len(rows))})"
                span = (run_id, *records)
            else:
                where, span = "domain BETWEEN ? AND ?", (run_id, rows[0][0], last)
            digest = "digest" if "digest" in self.columns["pages"] else "NULL"
            for (pid, domain, url, final, status, depth, headers, truncated, redirects,
                 content) in self._query(
                    "SELECT id, domain, url, final_url, status, depth, headers, truncated,"
                    f" redirect_urls, {digest} FROM pages WHERE run_id=? AND {where} ORDER BY id",
                    span):
                if domain in records:
                    records[domain].pages.append(Page(
                        url=url, final_url=final, status=status, depth=depth,
                        headers=json.loads(headers), truncated=bool(truncated),
                        redirect_urls=json.loads(redirects), id=pid, digest=content))
            undigested = [p for r in records.values() for p in r.pages if p.digest is None]
            html = self.page_html([p.id for p in undigested])
            for page in undigested:
                page.html = html.get(page.id, "")
                page.digest = html_digest(page.html)
            for domain, source, data, error in self._query(
                    f"SELECT domain, source, data, error FROM enrichment WHERE run_id=? AND"
                    f" {where}", span):
                if domain in records:
                    records[domain].enrichment[source] = {
                        "data": json.loads(data) if data else None, "error": error}
            for domain, *asset in self._query(
                    "SELECT domain, url, kind, status, sha256, mmh3, size FROM assets"
                    f" WHERE run_id=? AND {where} ORDER BY rowid", span):
                if domain in records:
                    records[domain].assets.append(Asset(*asset))
            yield list(records.values())
