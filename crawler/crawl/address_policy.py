"""One address policy for every request facade makes: pages, redirects, meta refreshes,
assets, robots.txt, RDAP (and its redirects), WHOIS referrals, archives.

A host is read the way resolvers and browsers read it, so that no spelling of an internal
address slips through as a "name":
- IPv4 in any form glibc's ``inet_aton`` and the WHATWG URL parser accept: decimal
  (``2143813633``), hex (``0x7fc80001``), octal (``0177.0310.0.1``), short
  (``127.200.1``, ``127.1``, ``0``); IPv6 in brackets; trailing dots; IDN.
- A name must sit under a public suffix: ``localhost``, ``intranet``, ``admin.internal``,
  ``printer.local``, ``router.home.arpa`` are refused without a lookup (search domains and
  local resolvers would make them internal).
- A name must resolve, and every address must be public: a failed lookup is a refusal, not
  a permission (with a proxy, the proxy would resolve it, perhaps to an internal address).
- Public means outside every special-purpose range of IANA's IPv4 and IPv6 registries
  (``SPECIAL``: loopback, private, shared address space 100.64.0.0/10, link-local,
  documentation, benchmarking, 6to4 2002::/16, Teredo, NAT64, ULA, multicast, reserved),
  and for IPv6 forms that embed an IPv4 address, that address too.

Example:
    >>> str(ip_literal("0x7fc80001")), str(ip_literal("0177.0310.0.1")), str(ip_literal("0"))
    ('127.200.0.1', '127.200.0.1', '0.0.0.0')
    >>> ip_literal("example.com") is None
    True
    >>> is_non_public("100.100.100.200"), is_non_public("2002:7f00:1::"), is_non_public("8.8.8.8")
    (True, True, False)
    >>> host_refusal("admin.internal")
    'admin.internal is not a name on the public internet'
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable

from analysis.domains import InvalidHost, registrable_domain

SPECIAL = [ipaddress.ip_network(n) for n in (
    # IPv4 special-purpose address registry (RFC 6890 and updates)
    "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
    "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.31.196.0/24", "192.52.193.0/24",
    "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15",
    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
    "255.255.255.255/32",
    # IPv6 special-purpose address registry
    "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64",
    "2001::/23", "2001:db8::/32", "2002::/16", "2620:4f:8000::/48", "3fff::/20",
    "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
)]
_NUMERIC = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}\.?$", re.I)
_LOCAL_SUFFIXES = (".local", ".localhost", ".internal", ".intranet", ".lan", ".home",
                   ".corp", ".home.arpa", ".localdomain", ".onion", ".test", ".invalid",
                   ".example")


def ip_literal(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host spells, in any form a resolver or browser accepts; None for a name."""
    host = host.strip().lower()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    if _NUMERIC.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host.rstrip(".")))
        except OSError:
            return None
    return None


def on_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an address, as a URL gives it) is this machine: a
    server there is reached directly, never through a proxy."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _embedded_v4(addr: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if addr.ipv4_mapped:
        return addr.ipv4_mapped
    if addr.sixtofour:
        return addr.sixtofour
    if addr in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    return None


def is_non_public(ip, public_nets: tuple = ()) -> bool:
    """True for an address in any special-purpose range (or one that is not an address),
    unless inside one of ``public_nets`` (networks a test or lab declares public)."""
    addr = ip if isinstance(ip, ipaddress.IPv4Address | ipaddress.IPv6Address) else None
    if addr is None:
        addr = ip_literal(str(ip))
    if addr is None:
        return True
    if any(addr.version == net.version and addr in net for net in public_nets):
        return False
    if any(addr.version == net.version and addr in net for net in SPECIAL):
        return True
    if addr.version == 6:
        inner = _embedded_v4(addr)
        if inner is not None and is_non_public(inner, public_nets):
            return True
    return not addr.is_global


def host_refusal(host: str) -> str | None:
    """Why a host name may not be asked for at all (before any lookup), or None."""
    name = host.strip().lower().rstrip(".")
    if not name:
        return "no host"
    if ip_literal(name) is not None:
        return None
    if "." not in name or name.endswith(_LOCAL_SUFFIXES) or name in ("localhost",):
        return f"{name} is not a name on the public internet"
    try:
        registrable_domain(name)
    except InvalidHost:
        return f"{name} is not a name on the public internet"
    return None


def refusal(host: str, addresses: list[str], public_nets: tuple = ()) -> str | None:
    """Why a request to ``host``, resolved to ``addresses``, is refused; None when allowed."""
    literal = ip_literal(host)
    if literal is not None:
        addresses = [str(literal)]
    else:
        why = host_refusal(host)
        if why:
            return why
        if not addresses:
            return f"{host.rstrip('.')} does not resolve: its address cannot be proven public"
    bad = [a for a in addresses if is_non_public(a, public_nets)]
    if bad:
        return f"{host.rstrip('.')} resolves to non-public address {bad[0]}"
    return None


def system_addresses(host: str) -> list[str]:
    """Addresses of ``host`` from the system resolver ([] when it does not resolve)."""
    try:
        infos = socket.getaddrinfo(host.rstrip("."), None, proto=socket.IPPROTO_TCP)
    except Exception:  # noqa: BLE001 - any failure to resolve is no address
        return []
    return sorted({info[4][0] for info in infos})


Resolve = Callable[[str], list[str]]


def checked_address(host: str, allow_private: bool = False,
                    resolve: Resolve | None = None) -> tuple[str | None, str | None]:
    """(address to connect to, None) for a registry hop to ``host``, or (None, why refused).

    The host is resolved here (with ``resolve``, the crawl's own name servers, when given)
    and the connection goes to the address checked, so a name cannot change its answer
    between the check and the connection."""
    literal = ip_literal(host)
    if literal is not None:
        addresses = [str(literal)]
    elif not allow_private and host_refusal(host):
        return None, host_refusal(host)
    else:
        addresses = (resolve or system_addresses)(host.rstrip("."))
    why = None if allow_private else refusal(host, addresses)
    if why is None and not addresses:
        why = f"{host.rstrip('.')} does not resolve"
    return (None, why) if why else (addresses[0], None)


def resolved_refusal(host: str, allow_private: bool = False,
                     resolve: Resolve | None = None) -> str | None:
    """Why a registry hop (an RDAP redirect, a WHOIS referral) to ``host`` is refused: the
    host is resolved here, as the connection will be, and every address must be public."""
    if allow_private:
        return None
    return checked_address(host, allow_private, resolve)[1]
