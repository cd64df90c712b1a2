"""Sites, their pages, assets and enrichment, as the crawl stores them."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import Any

from analysis.records import Asset, Page, SiteRecord, html_digest
from crawler.store.schema import now

ADD_PAGE = (
    "INSERT INTO pages(run_id, domain, url, final_url, status, depth, headers, html,"
    " truncated, redirect_urls, fetched_at, digest) SELECT ?,?,?,?,?,?,?,?,?,?,?,? WHERE NOT"
    " EXISTS (SELECT 1 FROM pages WHERE run_id=? AND domain=? AND url=? AND final_url IS ?)")


def page_row(run_id: int, domain: str, page: Page) -> tuple:
    """A page as ADD_PAGE stores it, its content hash beside its compressed HTML."""
    return (run_id, domain, page.url, page.final_url, page.status, page.depth,
            json.dumps(page.headers), zlib.compress(page.html.encode("utf-8", "replace")),
            int(page.truncated), json.dumps(page.redirect_urls), now(), html_digest(page.html),
            run_id, domain, page.url, page.final_url)


ADD_ASSET = (
    "INSERT INTO assets(run_id, domain, url, kind, status, sha256, mmh3, size)"
    " SELECT ?,?,?,?,?,?,?,? WHERE NOT EXISTS (SELECT 1 FROM assets WHERE run_id=?"
    " AND domain=? AND url=?)")


def asset_row(run_id: int, domain: str, asset: Asset) -> tuple:
    return (run_id, domain, asset.url, asset.kind, asset.status, asset.sha256, asset.mmh3,
            asset.size, run_id, domain, asset.url)


def _site_update(run_id: int, domain: str, fields: dict[str, Any]) -> tuple | None:
    """The UPDATE that sets a site's outcome fields (status, message, start_url,
    redirects_to), or None when none is given."""
    cols = [k for k in fields if k in ("status", "message", "start_url", "redirects_to")]
    if not cols:
        return None
    sql = ", ".join(f"{c}=?" for c in cols)
    return (f"UPDATE sites SET {sql}, updated_at=? WHERE run_id=? AND domain=?",
            (*[fields[c] for c in cols], now(), run_id, domain))


class SiteStore:
    """Sites and what was fetched and asked for them (mixed into Store)."""

    def add_sites(self, run_id: int, seeds: list[dict]) -> None:
        self._many(
            "INSERT OR IGNORE INTO sites(run_id, domain, status, seed, updated_at)"
            " VALUES (?,?,?,?,?)",
            ((run_id, s["domain"], "pending", json.dumps(s), now()) for s in seeds),
        )

    def set_site(self, run_id: int, domain: str, **fields: Any) -> None:
        update = _site_update(run_id, domain, fields)
        if update:
            self._exec(*update)

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

    def site_domains(self, run_id: int) -> list[str]:
        return [r[0] for r in self._query("SELECT domain FROM sites WHERE run_id=? ORDER BY"
                                          " domain", (run_id,))]

    def site_count(self, run_id: int) -> int:
        return int(self._query("SELECT count(*) FROM sites WHERE run_id=?", (run_id,))[0][0])

    def finished_count(self, run_id: int) -> tuple[int, int]:
        """(sites finished, sites in the run): finished is a final status and enrichment."""
        row = self._query("SELECT sum(CASE WHEN status != 'pending' AND enriched = 1 THEN 1 END),"
                          " count(*) FROM sites"
                          " WHERE run_id=?", (run_id,))[0]
        return int(row[0] or 0), int(row[1])

    def finished_domains(self, run_id: int, domains: list[str]) -> list[str]:
        """Those of ``domains`` the run has finished (final status and enrichment)."""
        out: list[str] = []
        for start in range(0, len(domains), 500):
            chunk = domains[start:start + 500]
            marks = ",".join("?" * len(chunk))
            out += [d for (d,) in self._query(
                f"SELECT domain FROM sites WHERE run_id=? AND domain IN ({marks})"
                " AND status != 'pending' AND enriched = 1", (run_id, *chunk))]
        return out

    def unfinished_domains(self, run_id: int) -> list[str]:
        return [d for (d,) in self._query(
            "SELECT domain FROM sites WHERE run_id=? AND (status='pending' OR enriched=0)"
            " ORDER BY rowid", (run_id,))]

    def add_page(self, run_id: int, domain: str, page: Page) -> None:
        """Store a page, once: a page a resumed crawl replays is already there."""
        self._exec(ADD_PAGE, page_row(run_id, domain, page))

    def add_pages(self, run_id: int, pages: list[tuple[str, Page]]) -> None:
        """Store (domain, page) pairs in one transaction (an import's batch)."""
        self._many(ADD_PAGE, (page_row(run_id, d, p) for d, p in pages))

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
        self._exec(ADD_ASSET, asset_row(run_id, domain, asset))

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


    def write_crawled(self, run_id: int, pages: list[tuple[str, Page]],
                      assets: list[tuple[str, Asset]],
                      outcome: tuple[str, dict[str, Any]] | None = None) -> None:
        """Pages and assets the crawl fetched, and a site's outcome (domain, fields of
        ``set_site``) after them, in one transaction."""
        with self.lock, self.db:
            self.db.executemany(ADD_PAGE, [page_row(run_id, d, p) for d, p in pages])
            self.db.executemany(ADD_ASSET, [asset_row(run_id, d, a) for d, a in assets])
            update = _site_update(run_id, *outcome) if outcome is not None else None
            if update:
                self.db.execute(*update)

    def write_imported(self, run_id: int, sites: list[tuple], pages: list[tuple[str, Page]],
                       assets: list[tuple[str, Asset]], enrichment: list[tuple]) -> None:
        """One batch of an import in one transaction: site rows (domain, status, message,
        seed, start_url, redirects_to, updated_at), pages, assets and enrichment results
        (domain, source, data, error); a site written again is replaced."""
        with self.lock, self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO sites(run_id, domain, status, message, seed, start_url,"
                " redirects_to, updated_at, enriched) VALUES (?,?,?,?,?,?,?,?,1)",
                [(run_id, *row) for row in sites])
            self.db.executemany(ADD_PAGE, [page_row(run_id, d, p) for d, p in pages])
            self.db.executemany(ADD_ASSET, [asset_row(run_id, d, a) for d, a in assets])
            self.db.executemany(
                "INSERT OR REPLACE INTO enrichment(run_id, domain, source, data, error)"
                " VALUES (?,?,?,?,?)",
                [(run_id, d, source, json.dumps(data, default=str), error)
                 for d, source, data, error in enrichment])
