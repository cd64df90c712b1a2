"""Addresses given on the command line, and which resolved addresses a crawl may contact."""

from __future__ import annotations

import ipaddress


def split_hostport(text: str, default_port: int) -> tuple[str, int]:
    """``"127.0.0.1:5353"`` -> ("127.0.0.1", 5353); ``"ns.example"`` -> ("ns.example", default)."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        return host, int(rest[1:]) if rest.startswith(":") else default_port
    if text.count(":") == 1:
        host, port = text.split(":")
        return host, int(port)
    return text, default_port


def is_non_public(ip: str, public_nets: tuple = ()) -> bool:
    """True for loopback, private, link-local, multicast, reserved or unspecified addresses,
    unless inside one of ``public_nets`` (networks a test or lab declares public)."""
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return True
    if any(addr in net for net in public_nets):
        return False
    return (
        addr.is_private or addr.is_loopback or addr.is_link_local or addr.is_multicast
        or addr.is_reserved or addr.is_unspecified
    )
