"""Run enrichment concurrently: each source's failure is recorded, never raised."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crawler.enrich import tls, whois


@dataclass
class EnrichConfig:
    whois_server: tuple[str, int] | None
    proxy: str | None
    timeout: float


def attempt(func: Callable[[], Any]) -> tuple[Any, str | None]:
    """(result, None), or (None, message) when the source failed in any way."""
    try:
        return func(), None
    except (whois.WhoisFailure, tls.TLSFailure) as exc:
        return None, str(exc)
    except Exception as exc:  # a bad record must never stop the crawl
        return None, f"{type(exc).__name__}: {exc}"[:300]


class IPWhoisCache:
    """Address WHOIS answers shared by every site of a run (one query per address)."""

    def __init__(self, config: EnrichConfig):
        self.config = config
        self.lock = threading.Lock()
        self.events: dict[str, threading.Event] = {}
        self.results: dict[str, tuple[Any, str | None]] = {}

    def get(self, ip: str) -> tuple[Any, str | None]:
        with self.lock:
            event = self.events.get(ip)
            owner = event is None
            if owner:
                event = self.events[ip] = threading.Event()
        if owner:
            self.results[ip] = attempt(
                lambda: whois.lookup_ip(ip, self.config.whois_server, self.config.timeout)
            )
            event.set()
        else:
            event.wait(self.config.timeout * 3)
        return self.results.get(ip, (None, "address WHOIS did not finish"))


def enrich_site(domain: str, addresses: list[str], fetch_tls: bool, config: EnrichConfig,
                ip_cache: IPWhoisCache) -> dict[str, tuple[Any, str | None]]:
    """WHOIS, address WHOIS and certificate of one site: {source: (data, error)}."""
    out = {"whois": attempt(lambda: whois.lookup_domain(domain, config.whois_server,
                                                         config.timeout))}
    if addresses:
        data, errors = {}, []
        for ip in addresses:
            result, error = ip_cache.get(ip)
            if result:
                data[ip] = result
            if error:
                errors.append(f"{ip}: {error}")
        out["ipwhois"] = (data, "; ".join(errors) or None)
    if fetch_tls:
        out["tls"] = attempt(lambda: tls.fetch_certificate(domain, config.proxy, config.timeout))
    return out
