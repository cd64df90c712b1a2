"""No server-side request forgery: every request a crawl makes (start pages, links, redirects,
assets) goes only to hosts whose every address is public, unless --allow-private.

The guard applies crawler/crawl/address_policy.py: it reads numeric hosts as resolvers do,
refuses names outside the public suffixes, resolves every other name once and refuses it
when the lookup fails or any answer is non-public. The answers go into the map the crawl's
resolver pins connections to, so the address connected to is the address checked: a name
that answers a public address first and a private one next (DNS rebinding) gets nowhere.
With an HTTP proxy the proxy resolves, so a host facade cannot prove public is never sent.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import dns.exception
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.defer import deferred_to_future
from twisted.internet import threads

from crawler.crawl.address_policy import host_refusal, ip_literal, refusal
from crawler.crawl.settings import shared
from crawler.enrich.dns import make_resolver


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
        why = refusal(host, addresses, self.public_nets)
        if why:
            raise BlockedAddress(f"blocked: {why}")

    async def process_request(self, request):
        if self.allow_private:  # --allow-private: every address is crawled
            return None
        try:
            host = (urlsplit(request.url).hostname or "").lower().rstrip(".")
        except ValueError:
            raise BlockedAddress(f"blocked: unparseable URL {request.url[:200]!r}") from None
        if ip_literal(host) is not None or host_refusal(host):
            self._check(host, [])
            return None
        known = self.addresses.get(host)
        if known is not None:
            self._check(host, known)
            return None

        found = await deferred_to_future(threads.deferToThread(self._resolve, host))
        self._check(host, found)  # nothing found: refused, never left to the proxy
        self.addresses[host] = found  # what the resolver will connect to
        return None
