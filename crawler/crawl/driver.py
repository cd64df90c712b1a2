"""`facade crawl`: seeds -> DNS gate -> (Scrapy crawl | WHOIS, address WHOIS, TLS) -> store."""

from __future__ import annotations

from concurrent.futures import wait
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from analysis.config import load_config
from crawler.archive.crawl import crawl_from_archive, fallback_to_archive
from crawler.archive.service import ArchiveService
from crawler.archive.site import ArchiveReader
from crawler.crawl.candidates import find_candidates
from crawler.crawl.dns_gate import DnsGate
from crawler.crawl.options import CrawlOptions, CrawlSummary
from crawler.crawl.replay import Stored
from crawler.crawl.seeds import read_seeds
from crawler.crawl.settings import DEFAULTS, Shared, scrapy_settings
from crawler.crawl.signals import STOP_GRACE_SECONDS, Interrupted, StopSignal, _Stop
from crawler.crawl.warc import WarcArchive
from crawler.enrich import dns as dnsenrich
from crawler.enrich.runner import LookupCache, configure, load_rdap_bootstrap
from crawler.enrich.worker import EnrichmentLost, EnrichWorker
from crawler.runs.heap import settled_heap
from crawler.store import Store


def _settings(store: Store, run_id: int, gate: DnsGate, opts: CrawlOptions, progress,
              archive, stored: Stored | None = None) -> dict:
    return scrapy_settings({
        "FACADE_MAX_PAGES": opts.max_pages, "FACADE_DEPTH": opts.depth,
        "FACADE_CONCURRENCY": opts.concurrency, "FACADE_TIMEOUT": opts.timeout,
        "FACADE_CONCURRENCY_PER_SITE": opts.per_site, "FACADE_DELAY": opts.delay,
        "FACADE_ROBOTS": opts.robots,
        **({"FACADE_USER_AGENT": opts.user_agent} if opts.user_agent else {}),
        "FACADE_PROXY": opts.proxy, "FACADE_NAMESERVERS": opts.nameservers,
        "FACADE_ALLOW_PRIVATE": opts.allow_private, "FACADE_ADDRESSES": Shared(gate.addresses),
        "FACADE_PUBLIC_NETS": opts.networks(),
        "FACADE_STORE_PATH": store.location, "FACADE_RUN_ID": run_id,
        "FACADE_PROGRESS": progress, "FACADE_WARC": Shared(archive),
        "FACADE_STORED": Shared(stored), "FACADE_FRONTIER": opts.frontier,
        # A worker of a shared frontier holds sites in proportion to the requests it makes
        # at once (the single crawl's 128 at the default 16): the others would wait here
        # while other workers stand idle.
        **({"FACADE_SITES_IN_FLIGHT": 8 * opts.concurrency} if opts.frontier else {}),
    })


def _run_rounds(store: Store, run_id: int, gate: DnsGate, opts: CrawlOptions, progress,
                archive, next_gate, stop: StopSignal, stored: Stored | None = None) -> None:
    """Crawl ``gate``'s sites, then each gate ``next_gate()`` gives, in one reactor run;
    a signal (``stop``) ends it at once, leaving unfinished sites pending."""
    from scrapy.crawler import CrawlerRunner
    from scrapy.utils.reactor import install_reactor

    from crawler.crawl.spider import SiteSpider

    settings = {**_settings(store, run_id, gate, opts, progress, archive, stored),
                "LOG_INSTALL_ROOT_HANDLER": False}
    install_reactor(settings["TWISTED_REACTOR"])
    from twisted.internet import defer, reactor

    runner = CrawlerRunner(settings)
    failures: list = []

    @defer.inlineCallbacks
    def crawl_rounds():
        current = gate
        try:
            while current is not None:
                crawler = runner.create_crawler(SiteSpider)
                yield runner.crawl(crawler, gate=current)
                if stop.signum or gate.worker.lost:
                    break  # unfinished sites stay pending: a resumed crawl does them
                for result in crawler.spider.unfinished():
                    store.set_site(run_id, result.site, status=result.status,
                                   message=result.message, start_url=result.start_url,
                                   redirects_to=result.redirects_to)
                current = next_gate()
        except BaseException as exc:  # reported after the reactor stops
            failures.append(exc)
        finally:
            if reactor.running:
                reactor.stop()

    def stop_crawl():
        runner.stop()
        reactor.callLater(STOP_GRACE_SECONDS, lambda: reactor.running and reactor.stop())

    stop.on_first = lambda: reactor.callFromThread(stop_crawl)
    gate.worker.on_lost = lambda: reactor.callFromThread(stop_crawl)  # as a signal would
    reactor.callWhenRunning(crawl_rounds)
    try:
        with settled_heap():
            reactor.run(installSignalHandlers=False)  # SIGINT and SIGTERM: StopSignal
    finally:
        stop.on_first = None
    if failures:
        raise failures[0]


def _archive_reader(store: Store, opts: CrawlOptions, named: str) -> ArchiveReader:
    """How this crawl reads the archive ``named``; its CDX answers are kept across runs, as
    registry answers are (``--whois-cache-days``)."""
    service = ArchiveService.named(named)
    cache = (LookupCache(store, opts.whois_cache_days, f"archive={service.index_url}")
             if opts.whois_cache_days > 0 else None)
    return ArchiveReader(service, opts.at, opts.max_pages, opts.proxy, opts.timeout,
                         opts.allow_private, cache, DEFAULTS["FACADE_MAX_ASSETS"],
                         DEFAULTS["FACADE_MAX_ASSET_BYTES"])


def _archive_sites(store: Store, run_id: int, archive: WarcArchive) -> None:
    """Each site's outcome and enrichment as a WARC metadata record, then close the file."""
    for site in store.sites(run_id):
        archive.site(site["domain"], {
            "status": site["status"], "message": site["message"],
            "redirects_to": site["redirects_to"], "start_url": site["start_url"],
            "seed": site["seed"], "enrichment": store.enrichment(run_id, site["domain"])})
    archive.close()


class ResumeError(RuntimeError):
    """--resume was asked and there is no interrupted run."""


AUTO_RESUME_HOURS = 24


def _run_to_resume(store: Store, seeds_path, opts: CrawlOptions, resume: str) -> int | None:
    """The interrupted run to finish: asked for (``resume="yes"``), or, by default
    (``"auto"``), one of the same seed file and options that started within a day."""
    run = store.interrupted_run()
    if resume == "no":
        return None
    if resume == "yes":
        if run is None:
            raise ResumeError("no interrupted crawl to resume in this database")
        return run["id"]
    if run is None or run["seeds_file"] != str(seeds_path) or run["options"] != opts.public():
        return None
    started = datetime.fromisoformat(run["started_at"])
    if datetime.now(UTC) - started > timedelta(hours=AUTO_RESUME_HOURS):
        return None
    return run["id"]


def run_sites(seeds_path: str | Path, opts: CrawlOptions) -> tuple[list, list[str]]:
    """The run's sites (seeds, then --references sites) and the warnings reading them gave."""
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
    return sites, warnings


def crawl(seeds_path: str | Path, db_path: str | Path, opts: CrawlOptions,
          progress_factory=None, resume: str = "auto") -> CrawlSummary:
    """Crawl every seed into a new run of the store at ``db_path``, or finish an interrupted
    run (see ``_run_to_resume``): its finished sites are kept, the others crawled again."""
    evidence = load_config(opts.evidence_config)  # expansion judges values by these weights
    sites, warnings = run_sites(seeds_path, opts)
    store = Store(db_path)
    run_id = _run_to_resume(store, seeds_path, opts, resume)
    resumed = run_id is not None
    with StopSignal() as early:  # from the run made to the crawl: a signal keeps the run
        newest = store.latest_run_id()
        try:
            if run_id is None:
                run_id = store.create_run(opts.label, opts.public(), str(seeds_path), warnings,
                                          [asdict(s) for s in sites])
                domains = [s.domain for s in sites]
                stored, done = None, {}
            else:
                domains = store.reset_incomplete(run_id)
                pages, assets, done = store.stored_work(run_id, domains)
                stored = Stored(pages, assets)
            progress = progress_factory(len(domains)) if progress_factory else None
            config = configure(store, opts, asn_db=opts.from_archive is not None)
            problem = load_rdap_bootstrap(store, config)
            if problem:
                warnings.append(problem)
            resolver = dnsenrich.make_resolver(opts.nameservers, opts.timeout)
        except _Stop:
            if run_id is None and store.latest_run_id() > newest:  # made, not yet returned
                run_id = store.latest_run_id()
            if run_id is None:
                raise KeyboardInterrupt from None  # before the run was made: nothing to keep
            raise Interrupted(run_id, early.signum, *store.finished_count(run_id)) from None
    added: list = []
    if opts.from_archive is not None:  # pages from a web archive, the rest live
        archive = None
        with StopSignal() as stop:
            try:
                crawl_from_archive(store, run_id, domains,
                                   _archive_reader(store, opts, opts.from_archive), config,
                                   resolver, progress)
            except _Stop:
                raise Interrupted(run_id, stop.signum, *store.finished_count(run_id)) from None
    else:
        worker = EnrichWorker(store.location, run_id, opts)
        archive = WarcArchive(opts.warc, run_id) if opts.warc else None
        with StopSignal() as stop:
            try:
                gate = DnsGate(store, run_id, domains, worker, opts.allow_private, progress,
                               tuple(opts.networks()), done=done)
                rounds = {"done": 0, "gate": gate}

                def next_gate():
                    """The next expansion round's gate, or None when there is none to crawl."""
                    last = rounds["gate"]
                    pending = list(last.enrichment.values())  # certificates name the candidates
                    while not stop.signum and wait(pending, timeout=0.5).not_done:
                        pass
                    if stop.signum or rounds["done"] >= (1 if opts.expand_dry_run else opts.expand):
                        return None
                    rounds["done"] += 1
                    known = {s["domain"] for s in store.sites(run_id)}
                    room = opts.expand_max - (0 if opts.expand_dry_run else len(added))
                    found = find_candidates(store, run_id, last.domains, known, max(room, 0),
                                            config=evidence)
                    for c in found:
                        c.round = rounds["done"]
                    added.extend(found)
                    if opts.expand_dry_run or not found:
                        return None
                    store.add_sites(run_id, [{"domain": c.domain, "expanded": {**c.to_dict(),
                                              "round": c.round}} for c in found])
                    rounds["gate"] = DnsGate(store, run_id, [c.domain for c in found], worker,
                                             opts.allow_private, progress,
                                             tuple(opts.networks()), addresses=gate.addresses)
                    return rounds["gate"]

                if domains:
                    _run_rounds(store, run_id, gate, opts, progress, archive, next_gate, stop,
                                stored)
                if stop.signum:
                    raise _Stop
                if worker.lost:
                    finished, total = store.finished_count(run_id)
                    raise EnrichmentLost(
                        f"{worker.lost}: run {run_id} kept ({finished} of {total} sites"
                        " finished); the same command, or `facade crawl SEEDS --resume`,"
                        " finishes it")
                worker.close()  # the last sites' enrichment
            except _Stop:
                worker.close(cancel=True)
                if archive is not None:
                    archive.close()
                raise Interrupted(run_id, stop.signum, *store.finished_count(run_id)) from None
            except BaseException:
                worker.close(cancel=True)
                raise
    if opts.archive_fallback is not None:
        fallback_to_archive(store, run_id, _archive_reader(store, opts, opts.archive_fallback))
    if archive is not None:
        _archive_sites(store, run_id, archive)
    store.set_run_state(run_id, "crawled", finished=True)
    summary = summarise(store, run_id, warnings, resumed, len(domains),
                        str(archive.path) if archive else None, added)
    store.close()
    return summary


def summarise(store: Store, run_id: int, warnings: list[str], resumed: bool, crawled_now: int,
              warc: str | None = None, added: list | None = None) -> CrawlSummary:
    """What a finished crawl did, as `facade crawl` prints it."""
    statuses: dict[str, int] = {}
    references = 0
    for site in store.sites(run_id):
        if (site["seed"] or {}).get("role") == "reference":
            references += 1  # counted apart, as the report counts them
            continue
        statuses[site["status"]] = statuses.get(site["status"], 0) + 1
    return CrawlSummary(run_id, sum(statuses.values()), warnings, statuses,
                        store.page_count(run_id), resumed, crawled_now, warc, added or [],
                        references)
