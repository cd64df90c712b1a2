"""DNS records of a site with dnspython, against chosen name servers or the system's."""

from __future__ import annotations

import dns.exception
import dns.nameserver
import dns.resolver
import dns.reversename

RECORD_TYPES = ("A", "AAAA", "NS", "MX", "TXT", "SOA")


def make_resolver(nameservers: list[tuple[str, int]], timeout: float) -> dns.resolver.Resolver:
    """A resolver for the given (host, port) servers, or the system configuration if none."""
    if nameservers:
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [dns.nameserver.Do53Nameserver(h, p) for h, p in nameservers]
    else:
        resolver = dns.resolver.Resolver()
    resolver.timeout = min(timeout, 5.0)
    resolver.lifetime = timeout
    return resolver


def _text(rdata) -> str:
    if rdata.rdtype == dns.rdatatype.TXT:
        return b"".join(rdata.strings).decode("utf-8", "replace")
    if rdata.rdtype == dns.rdatatype.MX:
        return rdata.exchange.to_text(omit_final_dot=True).lower()
    if rdata.rdtype in (dns.rdatatype.NS, dns.rdatatype.CNAME, dns.rdatatype.PTR):
        return rdata.target.to_text(omit_final_dot=True).lower()
    return rdata.to_text()


def unanswered(message: str = "") -> dict:
    """The record of a lookup with no answer yet (``message``: why there will be none)."""
    result: dict = {t: [] for t in RECORD_TYPES}
    result.update({"SOA": None, "PTR": {}, "nxdomain": False,
                   "errors": {"A": message} if message else {}})
    return result


def lookup(resolver: dns.resolver.Resolver, domain: str) -> dict:
    """Query every record type; failures are recorded per type, never raised.

    Returns:
        ``{"A": [...], ..., "SOA": {"mname", "rname"} | None, "PTR": {ip: name},
        "nxdomain": bool, "errors": {type: message}}``
    """
    result = unanswered()
    for rdtype in RECORD_TYPES:
        try:
            answer = resolver.resolve(domain, rdtype, raise_on_no_answer=False)
        except dns.resolver.NXDOMAIN:
            result["nxdomain"] = True
            break
        except dns.exception.Timeout:
            result["errors"][rdtype] = "timeout"
            if rdtype == "A":
                break  # a silent server: do not wait once per type
            continue
        except (dns.exception.DNSException, OSError, ValueError) as exc:
            result["errors"][rdtype] = f"{type(exc).__name__}: {exc}"[:300]
            continue
        rrset = answer.rrset
        if rrset is None:
            continue
        if rdtype == "SOA":
            soa = rrset[0]
            result["SOA"] = {
                "mname": soa.mname.to_text(omit_final_dot=True).lower(),
                "rname": soa.rname.to_text(omit_final_dot=True).lower(),
            }
        elif rdtype == "MX":
            ordered = sorted(rrset, key=lambda r: (r.preference, _text(r)))
            result["MX"] = [_text(r) for r in ordered]
        else:
            result[rdtype] = sorted({_text(r) for r in rrset})  # record sets have no order
    for ip in result["A"]:
        try:
            answer = resolver.resolve(dns.reversename.from_address(ip), "PTR",
                                      raise_on_no_answer=False)
        except (dns.exception.DNSException, OSError):
            continue
        if answer.rrset:
            result["PTR"][ip] = _text(answer.rrset[0])
    return result
