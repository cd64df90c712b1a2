"""`facade crawl --from-archive`: every site's pages from a web archive, its registration,
DNS and hosting live.

Most reported fronts are seized or gone; their pages survive in archives. Each site's pages
come from the archive (``archive_site``); DNS, registration and hosting are asked live,
where they still answer, and are recorded as they are *now* (the enrichment source
``archive`` holds the capture date, so the report can say which is which). A site with no
capture ends ``error`` with that message; every other site is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from selectolax.lexbor import LexborHTMLParser

from analysis.platforms import page_status
from crawler.archive.site import ArchiveReader
from crawler.enrich import dns as dnsenrich
from crawler.enrich.runner import EnrichConfig, IPWhoisCache, enrich_site
from crawler.store import Store

ARCHIVE_WORKERS = 4  # archives are rate-limited; manners keep 2 at a time per archive


def crawl_from_archive(store: Store, run_id: int, domains: list[str], reader: ArchiveReader,
                       config: EnrichConfig, resolver,
                       progress: Callable[[str, str], None] | None = None) -> None:
    """Read every site from the archive and enrich it live, storing each as it completes."""
    ip_cache = IPWhoisCache(config)

    def one(domain: str) -> None:
        try:
            read(domain)
        except Exception as exc:  # noqa: BLE001 - one site's fault is that site's status
            store.set_site(run_id, domain, status="error",
                           message=f"archive crawl failed: {type(exc).__name__}: {exc}"[:300])
            store.put_site_enrichment(run_id, domain, {})
        if progress is not None:
            progress(domain, "")

    def read(domain: str) -> None:
        dns = dnsenrich.lookup(resolver, domain)
        store.put_enrichment(run_id, domain, "dns", dns,
                             "; ".join(f"{t}: {m}" for t, m in dns["errors"].items()) or None)
        site = reader.site(domain)
        for page in site.pages:
            store.add_page(run_id, domain, page)
        for asset in site.assets:
            store.add_asset(run_id, domain, asset)
        when = site.captured_at
        message = site.message or (f"from the archive, captured {when[:4]}-{when[4:6]}-"
                                   f"{when[6:8]}" if when else None)
        store.set_site(run_id, domain, status=site.status, message=message,
                       start_url=site.pages[0].url if site.pages else None)
        results = enrich_site(domain, dns["A"] + dns["AAAA"], False, config, ip_cache)
        results["archive"] = (_archive_data(reader, site), site.message)
        store.put_site_enrichment(run_id, domain, results)

    pool = ThreadPoolExecutor(max_workers=ARCHIVE_WORKERS, thread_name_prefix="facade-archive")
    try:
        for future in [pool.submit(one, d) for d in domains]:
            future.result()
    finally:  # a stop signal: sites not started stay pending, for a resumed crawl
        pool.shutdown(wait=False, cancel_futures=True)


FALLBACK_STATUSES = ("dns_error", "unreachable", "timeout")


def _live_failure(store: Store, run_id: int, site: dict) -> str | None:
    """Why a live crawl's site goes to the archive: it did not answer, or its start page is
    a parking or seizure page (judged as the features stage judges it), else None."""
    if site["status"] in FALLBACK_STATUSES:
        return f"{site['status']}: {site['message'] or ''}".strip(": ")
    if site["status"] != "ok":
        return None
    html = store.start_page_html(run_id, site["domain"])  # not every page of every site
    if html is None:
        return None
    dns = (store.enrichment(run_id, site["domain"]).get("dns") or {}).get("data") or {}
    judged = page_status(LexborHTMLParser(html).text(separator=" "), dns.get("NS", []))
    return f"{judged[0]}: {judged[1]}" if judged else None


def _archive_data(reader: ArchiveReader, site, **more) -> dict:
    """The ``archive`` enrichment source: which archive, when, and what it gave."""
    return {"captured_at": site.captured_at, "archive": reader.service.replay_prefix,
            "pages": len(site.pages), "assets": len(site.assets), "refused": site.refused,
            **more}


def fallback_to_archive(store: Store, run_id: int, reader: ArchiveReader) -> int:
    """`--archive-fallback`: sites of a live crawl that are gone, parked or seized get their
    pages from the archive; the live outcome is kept beside them (the ``archive`` source's
    ``live``, and the site's message). Returns how many sites the archive gave pages."""
    found = 0
    for site in store.sites(run_id):
        if (site["seed"] or {}).get("role") == "reference":
            continue
        live = _live_failure(store, run_id, site)
        if live is None:
            continue
        archived = reader.site(site["domain"])
        store.put_enrichment(run_id, site["domain"], "archive",
                             _archive_data(reader, archived, live=live), archived.message)
        if archived.status != "ok":
            continue
        when = archived.captured_at or ""
        store.replace_content(run_id, site["domain"], archived.pages, archived.assets)
        store.set_site(run_id, site["domain"], status="ok",
                       message=f"live: {live}; pages from the archive, captured "
                               f"{when[:4]}-{when[4:6]}-{when[6:8]}"[:300],
                       start_url=archived.pages[0].url)
        found += 1
    return found
