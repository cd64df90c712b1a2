"""`facade crawl`: seeds -> DNS gate -> (Scrapy crawl | WHOIS, address WHOIS, TLS) -> store."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from crawler.dns_gate import DnsGate
from crawler.enrich import dns as dnsenrich
from crawler.enrich.asndb import AsnDb
from crawler.enrich.runner import EnrichConfig
from crawler.seeds import read_seeds
from crawler.settings import scrapy_settings
from crawler.store import Store


@dataclass
class CrawlOptions:
    proxy: str | None = None
    nameservers: list[tuple[str, int]] = field(default_factory=list)
    whois_server: tuple[str, int] | None = None
    max_pages: int = 20
    depth: int = 2
    concurrency: int = 16
    timeout: float = 20.0
    label: str | None = None
    allow_private: bool = False
    references: str | None = None  # file of known legitimate sites (copy provenance)
    rdap_url: str | None = None
    asn_db: str | None = None

    def public(self) -> dict:
        out = asdict(self)
        out["nameservers"] = [f"{h}:{p}" for h, p in self.nameservers]
        out["whois_server"] = ":".join(map(str, self.whois_server)) if self.whois_server else None
        return out


@dataclass
class CrawlSummary:
    run_id: int
    seeds: int
    warnings: list[str]
    statuses: dict[str, int]
    pages: int


def _run_spider(store: Store, run_id: int, gate: DnsGate, opts: CrawlOptions,
                progress) -> None:
    from scrapy.crawler import CrawlerProcess

    from crawler.spider import SiteSpider

    settings = scrapy_settings({
        "FACADE_MAX_PAGES": opts.max_pages, "FACADE_DEPTH": opts.depth,
        "FACADE_CONCURRENCY": opts.concurrency, "FACADE_TIMEOUT": opts.timeout,
        "FACADE_PROXY": opts.proxy, "FACADE_NAMESERVERS": opts.nameservers,
        "FACADE_ALLOW_PRIVATE": opts.allow_private, "FACADE_ADDRESSES": gate.addresses,
        "FACADE_STORE_PATH": str(store.path), "FACADE_RUN_ID": run_id,
        "FACADE_PROGRESS": progress,
    })
    process = CrawlerProcess({**settings, "LOG_INSTALL_ROOT_HANDLER": False})
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, gate=gate)
    process.start()
    for result in crawler.spider.unfinished():
        store.set_site(run_id, result.site, status=result.status, message=result.message,
                       start_url=result.start_url, redirects_to=result.redirects_to)


def crawl(seeds_path: str | Path, db_path: str | Path, opts: CrawlOptions,
          progress_factory=None) -> CrawlSummary:
    """Crawl every seed into a new run of the store at ``db_path``."""
    seed_list = read_seeds(seeds_path)
    warnings = list(seed_list.warnings)
    sites = list(seed_list.seeds)
    if opts.references:
        refs = read_seeds(opts.references)
        warnings += refs.warnings
        by_domain = {s.domain: s for s in sites}
        for ref in refs.seeds:
            ref.role = "reference"
            if ref.domain in by_domain:
                warnings.append(f"{ref.domain} is both a seed and a reference:"
                                " treated as a reference (never clustered)")
                sites.remove(by_domain[ref.domain])
            sites.append(ref)
    store = Store(db_path)
    run_id = store.create_run(opts.label, opts.public(), str(seeds_path), warnings)
    store.add_sites(run_id, [asdict(s) for s in sites])
    domains = [s.domain for s in sites]
    progress = progress_factory(len(domains)) if progress_factory else None
    config = EnrichConfig(opts.whois_server, opts.proxy, opts.timeout, opts.rdap_url,
                          AsnDb.open(opts.asn_db) if opts.asn_db else None)
    resolver = dnsenrich.make_resolver(opts.nameservers, opts.timeout)
    with ThreadPoolExecutor(max_workers=16, thread_name_prefix="facade-enrich") as pool:
        gate = DnsGate(store, run_id, domains, pool, resolver, config, opts.allow_private,
                       progress)
        if domains:
            _run_spider(store, run_id, gate, opts, progress)
        for domain, future in gate.enrichment.items():
            for source, (data, error) in future.result().items():
                store.put_enrichment(run_id, domain, source, data, error)
    store.set_run_state(run_id, "crawled", finished=True)
    statuses: dict[str, int] = {}
    for site in store.sites(run_id):
        statuses[site["status"]] = statuses.get(site["status"], 0) + 1
    summary = CrawlSummary(run_id, len(domains), warnings, statuses,
                           store.page_count(run_id))
    store.close()
    return summary
