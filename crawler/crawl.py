"""`facade crawl`: seeds -> DNS stage -> (Scrapy crawl | WHOIS, address WHOIS, TLS) -> store."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from crawler.enrich import dns as dnsenrich
from crawler.enrich.netaddr import is_non_public
from crawler.enrich.runner import EnrichConfig, IPWhoisCache, enrich_site
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


def _dns_stage(store: Store, run_id: int, domains: list[str], opts: CrawlOptions,
               pool: ThreadPoolExecutor) -> tuple[list[str], dict[str, list[str]]]:
    """Resolve every seed; refuse the unresolvable and (without --allow-private) the private."""
    resolver = dnsenrich.make_resolver(opts.nameservers, opts.timeout)
    results = dict(zip(domains, pool.map(lambda d: dnsenrich.lookup(resolver, d), domains),
                       strict=True))
    crawlable, addresses = [], {}
    for domain, result in results.items():
        errors = "; ".join(f"{t}: {m}" for t, m in result["errors"].items()) or None
        store.put_enrichment(run_id, domain, "dns", result, errors)
        ips = result["A"] + result["AAAA"]
        if result["nxdomain"]:
            store.set_site(run_id, domain, status="dns_error",
                           message="NXDOMAIN: the domain does not resolve")
            continue
        private = [ip for ip in ips if is_non_public(ip)]
        if private and not opts.allow_private:
            store.set_site(run_id, domain, status="blocked",
                           message=f"resolves to non-public address {private[0]};"
                           " not crawled (use --allow-private to crawl it)")
            continue
        if ips:
            addresses[domain] = ips
        crawlable.append(domain)
    return crawlable, addresses


def _run_spider(store: Store, run_id: int, domains: list[str], addresses: dict,
                opts: CrawlOptions, progress) -> None:
    from scrapy.crawler import CrawlerProcess

    from crawler.spider import SiteSpider

    settings = scrapy_settings({
        "FACADE_MAX_PAGES": opts.max_pages, "FACADE_DEPTH": opts.depth,
        "FACADE_CONCURRENCY": opts.concurrency, "FACADE_TIMEOUT": opts.timeout,
        "FACADE_PROXY": opts.proxy, "FACADE_NAMESERVERS": opts.nameservers,
        "FACADE_ALLOW_PRIVATE": opts.allow_private, "FACADE_ADDRESSES": addresses,
        "FACADE_STORE_PATH": str(store.path), "FACADE_RUN_ID": run_id,
        "FACADE_PROGRESS": progress,
    })
    process = CrawlerProcess({**settings, "LOG_INSTALL_ROOT_HANDLER": False})
    crawler = process.create_crawler(SiteSpider)
    process.crawl(crawler, domains=domains)
    process.start()
    for result in crawler.spider.unfinished():
        store.set_site(run_id, result.site, status=result.status, message=result.message,
                       start_url=result.start_url, redirects_to=result.redirects_to)


def crawl(seeds_path: str | Path, db_path: str | Path, opts: CrawlOptions,
          progress_factory=None) -> CrawlSummary:
    """Crawl every seed into a new run of the store at ``db_path``."""
    seed_list = read_seeds(seeds_path)
    store = Store(db_path)
    run_id = store.create_run(opts.label, opts.public(), str(seeds_path), seed_list.warnings)
    store.add_sites(run_id, [asdict(s) for s in seed_list.seeds])
    domains = [s.domain for s in seed_list.seeds]
    progress = progress_factory(len(domains)) if progress_factory else None
    config = EnrichConfig(opts.whois_server, opts.proxy, opts.timeout)
    ip_cache = IPWhoisCache(config)
    with ThreadPoolExecutor(max_workers=16, thread_name_prefix="facade-enrich") as pool:
        crawlable, addresses = _dns_stage(store, run_id, domains, opts, pool)
        allowed = set(crawlable)
        for domain in domains:
            if domain not in allowed and progress:
                progress(domain, "refused")
        futures = {
            domain: pool.submit(
                enrich_site, domain,
                addresses.get(domain, []) if domain in allowed else [],
                domain in allowed, config, ip_cache,
            )
            for domain in domains
        }
        if crawlable:
            _run_spider(store, run_id, crawlable, addresses, opts, progress)
        for domain, future in futures.items():
            for source, (data, error) in future.result().items():
                store.put_enrichment(run_id, domain, source, data, error)
    store.set_run_state(run_id, "crawled", finished=True)
    statuses: dict[str, int] = {}
    for site in store.sites(run_id):
        statuses[site["status"]] = statuses.get(site["status"], 0) + 1
    summary = CrawlSummary(run_id, len(domains), seed_list.warnings, statuses,
                           store.page_count(run_id))
    store.close()
    return summary
