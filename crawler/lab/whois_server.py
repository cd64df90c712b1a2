"""The lab's WHOIS server (TCP port 43 style): registry records for domains, ARIN-style for IPs."""

from __future__ import annotations

import asyncio
import contextlib
import zlib
from datetime import timedelta

from crawler.lab.dns_server import is_ip
from crawler.lab.world import PROVIDERS, World

_IANA_IDS = {"NameCheap, Inc.": 1068, "GoDaddy.com, LLC": 146}
REGISTRAR_WHOIS = "whois.registrars-lab.net"
THIN_SUFFIXES = (".com", ".net")


def domain_record(world: World, query: str, registrar: bool = False) -> str | None:
    """The registry's record (thin for .com and .net when the registrars' server runs: no
    registrant, a referral to that server), or with ``registrar`` the registrar's own."""
    site = world.site_for_host(query)
    if site is None or site.domain != query.lower():
        return None
    thin = (not registrar and world.registrar_whois is not None
            and site.domain.endswith(THIN_SUFFIXES))
    own = f"whois.{site.registrar.split(',')[0].split()[0].lower()}.com"
    created = site.created
    expires = created + timedelta(days=3 * 365)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    lines = [
        f"Domain Name: {site.domain.upper()}",
        f"Registry Domain ID: {zlib.crc32(site.domain.encode())}_DOMAIN_LAB-VRSN",
        f"Registrar WHOIS Server: {world.registrar_whois or own}",
        f"Updated Date: {(created + timedelta(days=365)).strftime(fmt)}",
        f"Creation Date: {created.strftime(fmt)}",
        f"Registry Expiry Date: {expires.strftime(fmt)}",
        f"Registrar: {site.registrar}",
        f"Registrar IANA ID: {_IANA_IDS.get(site.registrar, 3000)}",
        "Domain Status: clientTransferProhibited https://icann.org/epp#clientTransferProhibited",
        *([] if thin else [
            f"Registrant Name: {site.registrant_name}",
            f"Registrant Organization: {site.registrant_org}",
            f"Registrant Country: {site.registrant_country}",
            f"Registrant Email: {site.registrant_email}"]),
        *[f"Name Server: {ns.upper()}" for ns in site.nameservers],
        "DNSSEC: unsigned",
        f">>> Last update of whois database: {created.strftime(fmt)} <<<",
    ]
    return "\r\n".join(lines) + "\r\n"


def ip_record(world: World, ip: str) -> str | None:
    block = ".".join(ip.split(".")[:2])
    if block not in PROVIDERS:
        return None
    org, asn = PROVIDERS[block]
    handle = org.split()[0].upper()
    return "\r\n".join(
        [
            f"NetRange:       {block}.0.0 - {block}.255.255",
            f"CIDR:           {block}.0.0/16",
            f"NetName:        {handle}-LAB",
            f"OriginAS:       AS{asn}",
            f"Organization:   {org} ({handle})",
            f"OrgName:        {org}",
            f"OrgId:          {handle}",
            "Country:        US",
        ]
    ) + "\r\n"


def whois_answer(world: World, query: str, registrar: bool = False) -> str:
    query = query.strip()
    for prefix in ("domain ", "n + ", "n "):
        if query.lower().startswith(prefix):
            query = query[len(prefix):].strip()
    record = (ip_record(world, query) if is_ip(query)
              else domain_record(world, query.lower(), registrar))
    return record or f'No match for "{query.upper()}".\r\n'


WHOIS_FAULTS = {
    "whois_garbage": bytes(range(256)) * 4,
    "whois_close": b"",
    "whois_ratelimit": b"% Query rate limit exceeded. Please try again later.\r\n"
                       b"WHOIS LIMIT EXCEEDED - SEE WWW.LAB/WHOIS FOR DETAILS\r\n",
}


async def handle_whois(world: World, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       registrar: bool = False):
    try:
        line = await asyncio.wait_for(reader.readline(), timeout=10)
        query = line.decode("utf-8", "replace").strip().lower()
        if not query:
            return  # a connection that asked nothing (facade's check that the server answers)
        world.lookups.append(("whois", query))
        site = world.site_for_host(query)
        if site is not None and site.fault in WHOIS_FAULTS:
            writer.write(WHOIS_FAULTS[site.fault])
            return
        writer.write(whois_answer(world, line.decode("utf-8", "replace"), registrar
                                  ).encode("utf-8"))
        await writer.drain()
    except (TimeoutError, ConnectionError, asyncio.IncompleteReadError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()
