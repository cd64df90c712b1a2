"""WHOIS over TCP (our own transport, so server and port can be given) parsed by python-whois.

With a fixed server every query goes there first. Without one, a domain query asks IANA
for the TLD's server; an address query asks ARIN. Either way a domain's registry may refer
to its registrar's server (which holds the registrant), and ARIN to a regional registry
(``ReferralServer``): one such referral is followed, under the address policy, to the
address the policy checked (resolved with the crawl's own name servers when given).
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable

from whois.parser import WhoisEntry

from crawler.crawl.address_policy import checked_address
from crawler.enrich import manners
from crawler.enrich.whois_fields import registration_fields

MAX_WHOIS_BYTES = 1 << 20
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_REGISTRANT_EMAIL = re.compile(r"^\s*Registrant\s+E-?mail:\s*(\S+)", re.I | re.M)
_REFER = re.compile(r"^\s*(?:refer|whois|Registrar WHOIS Server):\s*(\S+)", re.I | re.M)
_IP_ORG = re.compile(r"^\s*(?:OrgName|org-name|Organization|owner|descr):\s*(.+)$", re.I | re.M)
_IP_ASN = re.compile(r"^\s*(?:OriginAS|origin|aut-num):\s*(?:AS)?(\d+)", re.I | re.M)
_NOT_FOUND = re.compile(r"no match|not found|no entries found|no data found", re.I)


class WhoisFailure(Exception):
    """The server did not answer usefully; the message says how."""


def query(server: tuple[str, int], text: str, timeout: float) -> str:
    """One query to a WHOIS server, within its concurrency limit, with backoff when it says
    we are rate-limited."""
    try:
        return manners.LIMITS.call(f"whois:{server[0]}:{server[1]}",
                                   lambda: _query(server, text, timeout))
    except manners.RateLimited as exc:
        raise WhoisFailure(str(exc)) from None


def _query(server: tuple[str, int], text: str, timeout: float) -> str:
    """Send one query line and read the answer until the server closes (size-capped)."""
    try:
        with socket.create_connection(server, timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(text.encode("idna") + b"\r\n")
            chunks, size = [], 0
            while size < MAX_WHOIS_BYTES:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
    except TimeoutError:
        raise WhoisFailure(f"whois {server[0]}:{server[1]} timed out") from None
    except OSError as exc:
        raise WhoisFailure(f"whois {server[0]}:{server[1]}: {exc.strerror or exc}") from None
    body = b"".join(chunks)
    if not body.strip():
        raise WhoisFailure(f"whois {server[0]}:{server[1]} closed without an answer")
    answer = body.decode("utf-8", "replace")
    if manners.RATE_LIMITED.search(answer[:2000]) and "Domain Name:" not in answer:
        raise manners.RateLimited(f"whois {server[0]}:{server[1]} is rate-limiting queries")
    return answer


def _first(value):
    if isinstance(value, list):
        return value[0] if value else None
    return value


def parse_domain(domain: str, text: str) -> dict:
    """Registration fields from a domain WHOIS answer (``whois_fields``); whether a value
    belongs to a privacy service is judged later, in analysis, from these raw values."""
    if _NOT_FOUND.search(text[:500]) and "Domain Name:" not in text:
        raise WhoisFailure("no WHOIS record for this domain")
    try:
        entry = WhoisEntry.load(domain, text)
    except Exception as exc:  # python-whois raises many kinds on odd input
        raise WhoisFailure(f"unparseable WHOIS answer ({type(exc).__name__})") from None
    fields = registration_fields(entry, text)
    if not any(fields[k] for k in ("registrar", "creation_date", "name_servers")):
        raise WhoisFailure("WHOIS answer has no registration fields")
    return fields


def parse_ip(text: str) -> dict:
    """Hosting organisation and ASN from an address WHOIS answer (ARIN or RIPE style)."""
    orgs = [o.strip() for o in _IP_ORG.findall(text)]
    asns = _IP_ASN.findall(text)
    org = next((o for o in orgs if o), None)
    if org and "(" in org and org.endswith(")"):
        org = org.rsplit("(", 1)[0].strip()
    if not org and not asns:
        raise WhoisFailure("address WHOIS answer has no organisation or ASN")
    return {"org": org, "asn": int(asns[0]) if asns else None}


Hop = Callable[[str], tuple[str, int]]


def referral(host: str, allow_private: bool = False,
             resolve: Callable[[str], list[str]] | None = None) -> tuple[str, int]:
    """The (address, port 43) of a WHOIS server named in an answer, once the address policy
    allows it; raises WhoisFailure when it does not."""
    address, why = checked_address(host, allow_private, resolve)
    if address is None:
        raise WhoisFailure(f"WHOIS referral to {host} refused: {why}")
    return address, 43


def lookup_domain(domain: str, server: tuple[str, int] | None, timeout: float,
                  hop: Hop = referral) -> dict:
    """Registration of ``domain`` from ``server`` (or IANA's choice), with the registrar's
    own answer in front of the registry's when the registry names a registrar server."""
    if server is None:
        tld = domain.rsplit(".", 1)[-1]
        refer = _REFER.search(query(("whois.iana.org", 43), tld, timeout))
        if not refer:
            raise WhoisFailure(f"IANA names no WHOIS server for .{tld}")
        asked = refer.group(1).lower()
        text = query(hop(asked), domain, timeout)
    else:
        asked = server[0].lower()
        text = query(server, domain, timeout)
    try:
        fields = parse_domain(domain, text)
    except WhoisFailure:
        fields = None
    sources = {k: "whois" for k, v in (fields or {}).items() if v}
    registrar = _REFER.search(text)
    if registrar and registrar.group(1).lower().rstrip(".") not in (asked, ""):
        try:
            own = parse_domain(domain, query(hop(registrar.group(1)), domain, timeout))
        except WhoisFailure:
            own = {}  # the registry's own answer stands
        fields = fields or {k: None for k in own}
        for key, value in own.items():  # the registrar's registrant over the registry's
            if value and (key.startswith("registrant_") or not fields.get(key)):
                fields[key], sources[key] = value, "whois-registrar"
    if not fields:
        raise WhoisFailure("WHOIS answer has no registration fields")
    fields["sources"] = sources
    return fields


def lookup_ip(ip: str, server: tuple[str, int] | None, timeout: float,
              hop: Hop = referral) -> dict:
    if server is not None:
        return parse_ip(query(server, ip, timeout))
    text = query(("whois.arin.net", 43), f"n + {ip}", timeout)
    refer = re.search(r"ReferralServer:\s*whois://([^\s:/]+)", text)
    if refer:
        text = query(hop(refer.group(1)), ip, timeout)
    return parse_ip(text)
