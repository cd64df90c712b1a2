"""The lab's authoritative DNS server (UDP and TCP), built on dnspython's message classes."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset

from crawler.lab.world import World


def _records(world: World, name: str) -> dict[str, list[str]] | None:
    """Record sets (type -> text rdata) for a name, or None for NXDOMAIN."""
    if name.endswith(".in-addr.arpa"):
        octets = name.removesuffix(".in-addr.arpa").split(".")
        ip = ".".join(reversed(octets))
        sites = world.by_ip.get(ip)
        if not sites:
            return None
        if len(sites) > 1:
            return {"PTR": [f"shared-{ip.replace('.', '-')}.masshost-lab.net."]}
        return {"PTR": [f"server-{ip.replace('.', '-')}.lab-hosting.net."]}
    if name in world.service_hosts:  # the lab's own servers (the registrars' WHOIS)
        return {"A": [world.service_hosts[name]]}
    site = world.site_for_host(name)
    if site is None or not site.dns:
        return None
    if name in site.extra_hosts:
        return {"A": [site.extra_hosts[name]]}
    if name not in (site.domain, f"www.{site.domain}"):
        return None
    records: dict[str, list[str]] = {"A": [site.ip]}
    if site.fault == "rebind":  # public on the first A question, internal on every later one
        if site.a_queries:
            records["A"] = ["127.200.0.3"]
    if name == site.domain:
        ns = [f"{n}." for n in site.nameservers]
        records["NS"] = ns
        records["MX"] = [f"{10 * (i + 1)} {m}." for i, m in enumerate(site.mx)]
        records["TXT"] = [f'"{t}"' for t in site.txt]
        rname = site.soa_rname or "hostmaster." + ".".join(site.nameservers[0].split(".")[1:])
        records["SOA"] = [f"{ns[0]} {rname}. 2024010101 43200 3600 604800 3601"]
    return records


def answer(world: World, wire: bytes) -> bytes | None:
    """The wire-format answer to one DNS query, or None for garbage."""
    try:
        query = dns.message.from_wire(wire)
    except Exception:
        return None
    response = dns.message.make_response(query)
    response.flags |= dns.flags.AA
    if not query.question:
        response.set_rcode(dns.rcode.FORMERR)
        return response.to_wire()
    question = query.question[0]
    name = question.name.to_text(omit_final_dot=True).lower()
    site = world.site_for_host(name)
    if site is not None and site.fault == "dns_silent":
        return None  # never answered
    if site is not None and site.fault == "servfail":
        response.set_rcode(dns.rcode.SERVFAIL)
        return response.to_wire()
    records = _records(world, name)
    if records is None:
        response.set_rcode(dns.rcode.NXDOMAIN)
        return response.to_wire()
    rdtype = dns.rdatatype.to_text(question.rdtype)
    if rdtype == "A" and site is not None:
        site.a_queries += 1
    values = records.get(rdtype)
    if values:
        response.answer.append(
            dns.rrset.from_text_list(question.name, 300, dns.rdataclass.IN, rdtype, values)
        )
    return response.to_wire()


class _UDP(asyncio.DatagramProtocol):
    def __init__(self, world: World):
        self.world = world
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        reply = answer(self.world, data)
        if reply is not None:
            self.transport.sendto(reply, addr)


async def _tcp(world: World, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
    try:
        while True:
            size = int.from_bytes(await reader.readexactly(2), "big")
            reply = answer(world, await reader.readexactly(size))
            if reply is None:
                break
            writer.write(len(reply).to_bytes(2, "big") + reply)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()


async def start_dns(world: World, host: str = "127.0.0.1", port: int = 0):
    """Start UDP and TCP listeners on one port; return (udp transport, tcp server, port)."""
    loop = asyncio.get_running_loop()
    tcp = await asyncio.start_server(lambda r, w: _tcp(world, r, w), host, port)
    port = tcp.sockets[0].getsockname()[1]
    udp, _ = await loop.create_datagram_endpoint(lambda: _UDP(world), local_addr=(host, port))
    return udp, tcp, port


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
