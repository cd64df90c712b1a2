"""Run enrichment concurrently: each source's failure is recorded, never raised.

Registration: RDAP first, WHOIS when RDAP has no answer. Hosting: the --asn-db table first,
then RDAP or WHOIS for the address.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crawler.crawl.address_policy import system_addresses
from crawler.enrich import dns as dnsenrich
from crawler.enrich import rdap, tls, whois
from crawler.enrich.asndb import AsnDb


class LookupCache:
    """Registry answers kept across runs (--whois-cache-days), so that weekly re-crawls do
    not ask registries again; keyed by the lookup configuration, so that answers of one
    WHOIS or RDAP server never stand in for another's."""

    def __init__(self, store, days: float, config_id: str):
        self.store, self.days, self.config_id = store, days, config_id

    def get(self, kind: str, key: str):
        hit = self.store.cache_get(kind, key, self.config_id, self.days)
        if hit is None:
            return None
        data, fetched_at = hit
        return {**data, "data": {**data["data"], "cached_at": fetched_at}}

    def put(self, kind: str, key: str, value: dict) -> None:
        self.store.cache_put(kind, key, self.config_id, value)


@dataclass
class EnrichConfig:
    whois_server: tuple[str, int] | None
    proxy: str | None
    timeout: float
    rdap_url: str | None = None
    asn_db: AsnDb | None = None
    cache: LookupCache | None = None
    allow_private: bool = False  # registry hops (RDAP redirects, WHOIS referrals) too
    nameservers: list[tuple[str, int]] = field(default_factory=list)  # for registry hops
    rdap_bootstrap: str | None = None  # given on the command line: RDAP is on
    _hops: dict = field(default_factory=dict, repr=False)

    def whois_hop(self, host: str) -> tuple[str, int]:
        """Where a WHOIS referral to ``host`` connects, checked by the address policy and
        resolved with the crawl's name servers; one answer per host and run."""
        key = host.lower().rstrip(".")
        if key not in self._hops:
            try:
                self._hops[key] = whois.referral(key, self.allow_private, self._resolve)
            except whois.WhoisFailure as exc:
                self._hops[key] = str(exc)
        found = self._hops[key]
        if isinstance(found, str):  # a new exception each time: one raised again and again
            raise whois.WhoisFailure(found)  # would carry every raiser's frames with it
        return found

    def _resolve(self, host: str) -> list[str]:
        if not self.nameservers:
            return system_addresses(host)
        resolver = dnsenrich.make_resolver(self.nameservers, self.timeout)
        addresses = []
        for rdtype in ("A", "AAAA"):
            try:
                answer = resolver.resolve(host, rdtype, raise_on_no_answer=False)
            except Exception:  # noqa: BLE001 - no answer is no address
                continue
            addresses += [r.to_text() for r in answer.rrset or []]
        return addresses

    def lookup_id(self) -> str:
        """Which registries answer: the key of cached answers."""
        rdap_part = (self.rdap_url or "bootstrap") if self.rdap_enabled else "off"
        whois_part = ":".join(map(str, self.whois_server)) if self.whois_server else "iana"
        return f"rdap={rdap_part};whois={whois_part}"

    @property
    def rdap_enabled(self) -> bool:
        # SPEC §3: with a fixed WHOIS server, RDAP is off unless --rdap-url is given.
        return (self.rdap_url is not None or self.rdap_bootstrap is not None
                or self.whois_server is None)


def configure(store, opts, asn_db: bool = True) -> EnrichConfig:
    """The enrichment a crawl's options ask for (a CrawlOptions), with its registry answers
    cached in ``store``; without ``asn_db``, the --asn-db table is not read (a large file:
    a live crawl reads it in its enrichment process alone)."""
    config = EnrichConfig(opts.whois_server, opts.proxy, opts.timeout, opts.rdap_url,
                          asn_db=AsnDb.open(opts.asn_db) if opts.asn_db and asn_db else None,
                          allow_private=opts.allow_private, nameservers=opts.nameservers,
                          rdap_bootstrap=opts.rdap_bootstrap)
    if opts.whois_cache_days > 0:
        config.cache = LookupCache(store, opts.whois_cache_days, config.lookup_id())
    return config


def load_rdap_bootstrap(store, config: EnrichConfig) -> str | None:
    """Read the RDAP bootstrap registry (which names each TLD's service) when ``config``
    asks RDAP without a fixed --rdap-url; its problem, if it could not be read."""
    if not config.rdap_enabled or config.rdap_url:
        return None
    return rdap.load_bootstrap(config.rdap_bootstrap or rdap.IANA_BOOTSTRAP, config.proxy,
                               config.timeout, config.allow_private,
                               LookupCache(store, 1.0, "bootstrap"))


def attempt(func: Callable[[], Any]) -> tuple[Any, str | None]:
    """(result, None), or (None, message) when the source failed in any way."""
    try:
        return func(), None
    except (whois.WhoisFailure, tls.TLSFailure, rdap.RDAPFailure) as exc:
        return None, str(exc)
    except Exception as exc:  # a bad record must never stop the crawl
        return None, f"{type(exc).__name__}: {exc}"[:300]


def address_owner(ip: str, config: EnrichConfig) -> tuple[Any, str | None]:
    """Hosting organisation and ASN of one address, from the first source that knows."""
    if config.asn_db is not None:
        found = config.asn_db.lookup(ip)
        if found:
            return {**found, "source": "asn-db"}, None
    cached = config.cache.get("address", ip) if config.cache else None
    if cached:
        return cached["data"], None
    data, error = _address_lookup(ip, config)
    if data and config.cache:
        config.cache.put("address", ip, {"data": data})
    return data, error


def _address_lookup(ip: str, config: EnrichConfig) -> tuple[Any, str | None]:
    errors = []
    if config.rdap_enabled:
        data, error = attempt(lambda: rdap.lookup_ip(ip, config.rdap_url, config.proxy,
                                                     config.timeout, config.allow_private))
        if data:
            return {**data, "source": "rdap"}, None
        errors.append(error)
    data, error = attempt(lambda: whois.lookup_ip(ip, config.whois_server, config.timeout,
                                                    config.whois_hop))
    if data:
        return {**data, "source": "whois"}, None
    return None, "; ".join(e for e in [*errors, error] if e)


class IPWhoisCache:
    """Address owners shared by every site of a run: one lookup per address at a time, and
    the latest ``KEPT`` answers kept (a crawl meets about one new address per site, so
    keeping them all would grow with the run; an address asked again after that is looked
    up again, from the --asn-db table or the lookup cache)."""

    KEPT = 8192

    def __init__(self, config: EnrichConfig):
        self.config = config
        self.lock = threading.Lock()
        self.asking: dict[str, threading.Event] = {}  # lookups under way
        self.results: OrderedDict[str, tuple[Any, str | None]] = OrderedDict()

    def get(self, ip: str) -> tuple[Any, str | None]:
        with self.lock:
            if ip in self.results:
                self.results.move_to_end(ip)
                return self.results[ip]
            event = self.asking.get(ip)
            owner = event is None
            if owner:
                event = self.asking[ip] = threading.Event()
        if not owner:
            event.wait(self.config.timeout * 4)
            with self.lock:
                return self.results.get(ip, (None, "address lookup did not finish"))
        result = address_owner(ip, self.config)
        with self.lock:
            self.results[ip] = result
            while len(self.results) > self.KEPT:
                self.results.popitem(last=False)
            del self.asking[ip]
        event.set()
        return result


def registration(domain: str, config: EnrichConfig) -> dict[str, tuple[Any, str | None]]:
    """{"rdap": ...} when RDAP answers, else WHOIS too (with RDAP's failure recorded);
    from the cache when a recent answer is there."""
    cached = config.cache.get("registration", domain) if config.cache else None
    if cached:
        return {cached["source"]: (cached["data"], None)}
    out = _registration_lookup(domain, config)
    for source, (data, _) in out.items():  # RDAP first: completed by WHOIS, it is the record
        if data and config.cache:
            config.cache.put("registration", domain, {"source": source, "data": data})
            break
    return out


def _registration_lookup(domain: str, config: EnrichConfig) -> dict[str, tuple[Any, str | None]]:
    out: dict[str, tuple[Any, str | None]] = {}
    if config.rdap_enabled:
        out["rdap"] = attempt(lambda: rdap.lookup_domain(domain, config.rdap_url, config.proxy,
                                                         config.timeout, config.allow_private))
        found = out["rdap"][0]
        if found and any(found.get(k) for k in rdap.REGISTRANT):
            return out
    out["whois"] = attempt(lambda: whois.lookup_domain(domain, config.whois_server,
                                                        config.timeout, config.whois_hop))
    found, whois_data = out.get("rdap", (None, None))[0], out["whois"][0]
    if found and whois_data:  # RDAP still lacks the registrant: WHOIS completes it
        for key, value in whois_data.items():
            if value and not found.get(key) and key != "sources":
                found[key] = value
                found.setdefault("sources", {})[key] = "whois"
    return out


def enrich_site(domain: str, addresses: list[str], fetch_tls: bool, config: EnrichConfig,
                ip_cache: IPWhoisCache, done: dict | None = None,
                save: Callable[[str, tuple[Any, str | None]], None] | None = None
                ) -> dict[str, tuple[Any, str | None]]:
    """Registration, address owners and certificate of one site: {source: (data, error)}.
    Sources in ``done`` (a resumed crawl's stored results) are kept, not asked again; each
    new source is given to ``save`` the moment it is in, so a killed crawl keeps it."""
    done = {k: v for k, v in (done or {}).items() if k != "dns"}
    out = dict(done)

    def keep(results: dict) -> None:
        out.update(results)
        for source, result in results.items():
            if save is not None:
                save(source, result)

    if not {"rdap", "whois"} & done.keys():
        keep(registration(domain, config))
    if addresses and "ipwhois" not in done:
        data, errors = {}, []
        for ip in addresses:
            result, error = ip_cache.get(ip)
            if result:
                data[ip] = result
            if error:
                errors.append(f"{ip}: {error}")
        keep({"ipwhois": (data, "; ".join(errors) or None)})
    if fetch_tls and "tls" not in done:
        keep({"tls": attempt(lambda: tls.fetch_certificate(domain, config.proxy,
                                                           config.timeout))})
    return out
