"""The lab's RDAP service (RFC 9083 JSON over HTTP): /domain/NAME and /ip/ADDR.

Like real registries, some TLDs have no RDAP here (.asia, .com.cn answer 404), so facade's
fallback to WHOIS is exercised too. Like Verisign's, the .com and .net answers are thin: no
registrant, and a ``rel="related"`` link to the registrar's own RDAP service (here
/registrar/domain/NAME on the same server), which holds the registrant.
"""

from __future__ import annotations

import asyncio
import json

from crawler.lab.dns_server import is_ip
from crawler.lab.http_once import answer_once
from crawler.lab.world import PROVIDERS, World

NO_RDAP_SUFFIXES = (".asia", ".com.cn")


def _vcard(fn: str, org: str | None = None, email: str | None = None,
           country: str | None = None) -> list:
    props = [["version", {}, "text", "4.0"], ["fn", {}, "text", fn]]
    if org:
        props.append(["org", {}, "text", org])
    if email:
        props.append(["email", {}, "text", email])
    if country:
        props.append(["adr", {"cc": country}, "text", ["", "", "", "", "", "", ""]])
    return ["vcard", props]


THIN_SUFFIXES = (".com", ".net")


def domain_object(world: World, name: str, base: str = "", registrar: bool = False
                  ) -> dict | None:
    """The registry's answer for ``name`` (thin for .com and .net, with the related link
    under ``base``), or with ``registrar`` the registrar's full answer."""
    site = world.site_for_host(name)
    if site is None or site.domain != name or name.endswith(NO_RDAP_SUFFIXES):
        return None
    if site.fault and site.fault.startswith("whois_"):
        return None  # so that the faulty WHOIS server is asked
    from datetime import timedelta

    obj = {
        "objectClassName": "domain",
        "ldhName": site.domain.upper(),
        "rdapConformance": ["rdap_level_0"],
        "events": [
            {"eventAction": "registration", "eventDate": site.created.isoformat() + "Z"},
            {"eventAction": "expiration",
             "eventDate": (site.created + timedelta(days=3 * 365)).isoformat() + "Z"},
        ],
        "entities": [
            {"objectClassName": "entity", "roles": ["registrar"],
             "vcardArray": _vcard(site.registrar)},
            {"objectClassName": "entity", "roles": ["registrant"],
             "vcardArray": _vcard(site.registrant_name, site.registrant_org,
                                  site.registrant_email, site.registrant_country)},
        ],
        "nameservers": [{"objectClassName": "nameserver", "ldhName": ns.upper()}
                        for ns in site.nameservers],
    }
    if not registrar and name.endswith(THIN_SUFFIXES):
        obj["entities"] = obj["entities"][:1]  # the registrar only
        obj["links"] = [
            {"rel": "self", "href": f"{base}/domain/{name.upper()}",
             "type": "application/rdap+json"},
            {"rel": "related", "href": f"{base}/registrar/domain/{name.upper()}",
             "type": "application/rdap+json"},
        ]
    return obj


def ip_object(ip: str) -> dict | None:
    block = ".".join(ip.split(".")[:2])
    if block not in PROVIDERS:
        return None
    org, asn = PROVIDERS[block]
    return {
        "objectClassName": "ip network", "startAddress": f"{block}.0.0",
        "endAddress": f"{block}.255.255", "name": org.split()[0].upper() + "-LAB",
        "arin_originas0_originautnums": [asn],
        "entities": [{"objectClassName": "entity", "roles": ["registrant"],
                      "vcardArray": _vcard(org, org)}],
    }


def bootstrap_registry(world: World, base: str) -> dict:
    """The lab's own RDAP bootstrap registry (RFC 9224): every lab TLD served here, but
    .asia, which has no RDAP in the lab (its sites fall back to WHOIS)."""
    tlds = sorted({d.rsplit(".", 1)[-1] for d in world.sites} - {"asia"})
    return {"version": "1.0", "publication": "2026-01-01T00:00:00Z",
            "description": "facade lab RDAP bootstrap", "services": [[tlds, [f"{base}/"]]]}


def rdap_answer(world: World, path: str, base: str = "") -> tuple[int, dict]:
    parts = path.split("?", 1)[0].strip("/").split("/")
    if parts == ["bootstrap", "dns.json"]:
        return 200, bootstrap_registry(world, base)
    registrar = parts[:1] == ["registrar"]
    parts = parts[1:] if registrar else parts
    if len(parts) == 2 and parts[0] == "domain":
        obj = domain_object(world, parts[1].lower(), base, registrar)
    elif len(parts) == 2 and parts[0] == "ip" and is_ip(parts[1]):
        obj = ip_object(parts[1])
    else:
        return 400, {"errorCode": 400, "title": "unsupported query"}
    if obj is None:
        return 404, {"errorCode": 404, "title": "not found"}
    return 200, obj


async def handle_rdap(world: World, reader: asyncio.StreamReader,
                      writer: asyncio.StreamWriter) -> None:
    def respond(method: str, path: str, head: str):
        host = next((line.split(":", 1)[1].strip() for line in head.split("\r\n")[1:]
                     if line.lower().startswith("host:")), "")
        world.lookups.append(("rdap", path))
        status, body = (rdap_answer(world, path, f"http://{host}") if method == "GET"
                        else (405, {}))
        return status, {"Content-Type": "application/rdap+json"}, json.dumps(body).encode()

    await answer_once(reader, writer, respond)
