"""Scrapy's DNS resolver for facade: connect only to addresses the DNS stage checked.

Host names the DNS stage resolved are answered from its results (so the address connected to
is the address that was checked); others are resolved with dnspython against the crawl's
name servers, and refused when non-public unless FACADE_ALLOW_PRIVATE is set.
"""

from __future__ import annotations

import ipaddress

from twisted.internet import defer, threads
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IResolverSimple
from zope.interface import implementer

from crawler.crawl.address_policy import is_non_public
from crawler.crawl.settings import shared
from crawler.enrich.dns import make_resolver


def _is_ip_literal(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


@implementer(IResolverSimple)
class PinnedResolver:
    def __init__(self, reactor, addresses: dict, nameservers: list, allow_private: bool,
                 timeout: float, public_nets: tuple = ()):
        self.reactor = reactor
        self.addresses = addresses  # shared with the DNS gate, which fills it as it goes
        self.resolver = make_resolver(nameservers, timeout)
        self.allow_private = allow_private
        self.public_nets = public_nets

    @classmethod
    def from_crawler(cls, crawler, reactor):
        s = crawler.settings
        return cls(reactor, shared(s, "FACADE_ADDRESSES", {}), s.get("FACADE_NAMESERVERS") or [],
                   s.getbool("FACADE_ALLOW_PRIVATE"), s.getfloat("FACADE_TIMEOUT"),
                   tuple(s.get("FACADE_PUBLIC_NETS") or ()))

    def install_on_reactor(self) -> None:
        self.reactor.installResolver(self)

    def _lookup(self, name: str) -> str:
        answer = self.resolver.resolve(name, "A")
        return answer.rrset[0].to_text()

    def _check(self, address: str, name: str) -> str:
        if is_non_public(address, self.public_nets) and not self.allow_private:
            raise DNSLookupError(f"{name} resolves to non-public address {address}: blocked")
        return address

    def getHostByName(self, name: str, timeout=()):
        name = name.lower().rstrip(".")
        if _is_ip_literal(name):
            return defer.succeed(name)  # the proxy's own address, chosen by the user
        known = self.addresses.get(name) or self.addresses.get(name.removeprefix("www."))
        if known:
            try:
                return defer.succeed(self._check(known[0], name))
            except DNSLookupError as exc:
                return defer.fail(exc)
        d = threads.deferToThreadPool(self.reactor, self.reactor.getThreadPool(),
                                      self._lookup, name)

        def failed(failure):
            raise DNSLookupError(f"{name}: {failure.getErrorMessage()}")

        d.addCallbacks(lambda addr: self._check(addr, name), failed)
        return d
