"""The DNS gate: resolve seeds concurrently (a bounded window ahead of the crawl) and release
each to the spider as soon as its own answer allows crawling, so the crawl never waits for
the slowest name.

A seed whose name does not exist ends ``dns_error``; one that resolves to a non-public
address ends ``blocked`` unless --allow-private. Either way, WHOIS (and for crawlable sites
address WHOIS and the certificate) is started the moment the DNS answer is in.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future

from crawler.crawl.address_policy import is_non_public
from crawler.enrich import dns as dnsenrich
from crawler.enrich.worker import EnrichmentFailed, EnrichmentLost, EnrichWorker
from crawler.store import Store


def dns_verdict(result: dict, allow_private: bool,
                public_nets: tuple = ()) -> tuple[str, str] | None:
    """(status, message) when DNS rules the site out, else None (crawl it)."""
    if result["nxdomain"]:
        return "dns_error", "NXDOMAIN: the domain does not resolve"
    if not result["A"] + result["AAAA"] and not allow_private:
        why = "; ".join(f"{t}: {m}" for t, m in result["errors"].items()) or "no A or AAAA"
        return "dns_error", (f"no address ({why}): its address cannot be proven public, so"
                             " it is not crawled")
    private = [ip for ip in result["A"] + result["AAAA"] if is_non_public(ip, public_nets)]
    if private and not allow_private:
        return "blocked", (f"resolves to non-public address {private[0]}; not crawled"
                           " (use --allow-private to crawl it)")
    return None


_DONE: Future = Future()
_DONE.set_result(None)


DNS_AHEAD = 64  # lookups asked ahead of the crawl


class DnsGate:
    def __init__(self, store: Store, run_id: int, domains: list[str], worker: EnrichWorker,
                 allow_private: bool, progress: Callable[[str, str], None] | None = None,
                 public_nets: tuple = (), addresses: dict | None = None,
                 done: dict | None = None, ahead: int = DNS_AHEAD):
        self.store, self.run_id, self.domains = store, run_id, domains
        self.ahead = ahead
        self.worker, self.allow_private = worker, allow_private
        self.progress = progress
        self.public_nets = public_nets
        # Shared with the spider's resolver (and later rounds): filled as answers arrive.
        self.addresses: dict[str, list[str]] = {} if addresses is None else addresses
        self.enrichment: dict[str, Future] = {}
        # A resumed crawl: enrichment sources a site already has are not asked again.
        self.done: dict[str, dict] = done or {}

    def _lookup(self, domain: str) -> Future:
        stored = self.done.get(domain, {}).get("dns")
        if stored and isinstance(stored[0], dict):
            answered: Future = Future()
            answered.set_result(stored[0])
            return answered
        return self.worker.lookup(domain)

    def _admit(self, domain: str, result: dict) -> bool:
        errors = "; ".join(f"{t}: {m}" for t, m in result["errors"].items()) or None
        self.store.put_enrichment(self.run_id, domain, "dns", result, errors)
        verdict = dns_verdict(result, self.allow_private, self.public_nets)
        ips = result["A"] + result["AAAA"]
        crawlable = verdict is None
        if crawlable and ips:
            self.addresses[domain] = ips
        # Asked of the enrichment process, which stores each answer as it comes: a killed
        # crawl keeps every finished source.
        future = self.worker.enrich(domain, ips if crawlable else [], crawlable,
                                    self.done.get(domain))
        self.enrichment[domain] = future  # before the callback, which may run at once
        future.add_done_callback(lambda f, d=domain: self._enriched(d, f))
        if verdict:
            self.store.set_site(self.run_id, domain, status=verdict[0], message=verdict[1])
            if self.progress:
                self.progress(domain, verdict[0])
        return crawlable

    def _enriched(self, domain: str, future: Future) -> None:
        failure = future.exception()
        if isinstance(failure, EnrichmentFailed):  # a bug guard: recorded on the site
            self.store.put_site_enrichment(self.run_id, domain,
                                           {"enrichment": (None, str(failure))})
        # EnrichmentLost: the crawl stops; the site is left unenriched for a resumed crawl.
        # Stored: the answers (RDAP objects, certificates) need not stay in memory, so the
        # crawl's memory does not grow with the number of sites.
        self.enrichment[domain] = _DONE

    async def crawlable(self) -> AsyncIterator[str]:
        """Domains to crawl, in the order their DNS answers arrive.

        At most DNS_AHEAD lookups are asked ahead of the crawl: when the crawl is busy (it
        stops pulling), no more are asked, so neither answers waiting for the crawl nor the
        lookups themselves grow with the number of sites."""
        domains = iter(self.domains)
        waiting: dict[asyncio.Future, str] = {}
        while True:
            while len(waiting) < self.ahead and (domain := next(domains, None)) is not None:
                waiting[asyncio.wrap_future(self._lookup(domain))] = domain
            if not waiting:
                return
            done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
            for fut in done:
                domain = waiting.pop(fut)
                failure = fut.exception()
                if isinstance(failure, EnrichmentLost):
                    return  # the crawl stops; its sites not yet asked stay pending
                if failure is not None:  # a bug guard: no answer, recorded as one
                    result = dnsenrich.unanswered(str(failure))
                else:
                    result = fut.result()
                if self._admit(domain, result):  # the answer is stored with the site
                    yield domain
