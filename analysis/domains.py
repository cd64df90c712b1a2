"""Host names: validation, IDNA and registrable domains, with the bundled public-suffix list.

tldextract is built with ``suffix_list_urls=()`` so it never fetches the list: it uses the
snapshot shipped inside the package.

Example:
    >>> registrable_domain("shop.example.co.uk")
    'example.co.uk'
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from urllib.parse import urlsplit

import idna
import tldextract

_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class InvalidHost(ValueError):
    """The text does not name a host on the public internet."""


def to_ascii(host: str) -> str:
    """Lower-case a host name and encode it as IDNA (punycode); raise InvalidHost if invalid."""
    host = host.strip().rstrip(".").lower()
    if not host:
        raise InvalidHost("empty host")
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    else:
        raise InvalidHost(f"{host!r} is an IP address, not a domain")
    try:
        ascii_host = idna.encode(host, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError) as exc:
        raise InvalidHost(f"{host!r} is not a valid host name ({exc})") from None
    if len(ascii_host) > 253:
        raise InvalidHost("host name longer than 253 characters")
    labels = ascii_host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise InvalidHost(f"{host!r} is not a valid host name")
    return ascii_host


@lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """The registrable domain (public suffix plus one label) of a host name.

    Raises:
        InvalidHost: the host is invalid or is itself a public suffix (``localhost``, ``co.uk``).
    """
    ascii_host = to_ascii(host)
    top = _EXTRACT(ascii_host).top_domain_under_public_suffix
    if not top:
        raise InvalidHost(f"{host!r} has no registrable domain under a public suffix")
    return top


def host_of(url: str) -> str | None:
    """The lower-case host of a URL, or None when it has none."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.lower() if host else None


def domain_of_url(url: str) -> str | None:
    """The registrable domain of a URL's host, or None when it has none."""
    host = host_of(url)
    if not host:
        return None
    try:
        return registrable_domain(host)
    except InvalidHost:
        return None


def is_on_site(url: str, site: str) -> bool:
    """True when a URL's host is the site's domain or a name under it."""
    host = (host_of(url) or "").rstrip(".")
    return host == site or host.endswith("." + site)
