"""No server-side request forgery: every request a crawl makes (start pages, links, redirects,
assets) goes only to hosts whose every address is public, unless --allow-private.

The guard resolves a host once, checks every answer, and records them in the map the crawl's
resolver pins connections to, so the address connected to is the address checked: a name
that answers a public address first and a private one next (DNS rebinding) gets nowhere.
With an HTTP proxy the proxy resolves, so the check is all that can be done.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import dns.exception
from scrapy.exceptions import IgnoreRequest
from twisted.internet import threads

from crawler.enrich.dns import make_resolver
from crawler.enrich.netaddr import is_non_public
from crawler.settings import shared


class BlockedAddress(IgnoreRequest):
    """A request to a non-public address, refused."""


class AddressGuard:
    def __init__(self, addresses: dict, nameservers: list, timeout: float, public_nets: tuple,
                 allow_private: bool = False):
        self.allow_private = allow_private
        self.addresses = addresses
        self.resolver = make_resolver(nameservers, timeout)
        self.public_nets = public_nets

    @classmethod
    def from_crawler(cls, crawler):
        s = crawler.settings
        return cls(shared(s, "FACADE_ADDRESSES", {}), s.get("FACADE_NAMESERVERS") or [],
                   s.getfloat("FACADE_TIMEOUT"), tuple(s.get("FACADE_PUBLIC_NETS") or ()),
                   s.getbool("FACADE_ALLOW_PRIVATE"))

    def _resolve(self, host: str) -> list[str]:
        out = []
        for rdtype in ("A", "AAAA"):
            try:
                answer = self.resolver.resolve(host, rdtype, raise_on_no_answer=False)
            except (dns.exception.DNSException, OSError):
                continue
            if answer.rrset:
                out += [r.to_text() for r in answer.rrset]
        return out

    def _check(self, host: str, addresses: list[str]) -> None:
        bad = [a for a in addresses if is_non_public(a, self.public_nets)]
        if bad:
            raise BlockedAddress(f"blocked: {host} resolves to non-public address {bad[0]}")

    def process_request(self, request):
        if self.allow_private:  # --allow-private: every address is crawled
            return None
        host = (urlsplit(request.url).hostname or "").lower().rstrip(".")
        try:
            ipaddress.ip_address(host)
        except ValueError:
            pass
        else:
            self._check(host, [host])
            return None
        known = self.addresses.get(host)
        if known is not None:
            self._check(host, known)
            return None

        def resolved(found: list[str]):
            self._check(host, found)
            if found:
                self.addresses[host] = found  # what the resolver will connect to
            return None

        return threads.deferToThread(self._resolve, host).addCallback(resolved)
