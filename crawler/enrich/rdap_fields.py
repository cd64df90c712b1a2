"""RDAP answers (RFC 9083) read into facade's registration fields: the same keys WHOIS
parsing gives, for domains; the holder and origin AS, for ip networks.

Answers from the wild have any shape: every access is guarded, and a missing part is a
missing field, never an exception but RDAPFailure for an answer of the wrong kind.
"""

from __future__ import annotations


class RDAPFailure(Exception):
    """No usable RDAP answer; the message says why."""


def _list(obj: dict, key: str) -> list:
    """``obj[key]`` when it is a list; answers from the wild have any shape."""
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _vcard(entity: dict) -> dict[str, str]:
    """fn, org, email and country of an entity's jCard (RFC 7095)."""
    out: dict[str, str] = {}
    card = entity.get("vcardArray")
    if not (isinstance(card, list) and len(card) == 2 and isinstance(card[1], list)):
        return out
    for prop in card[1]:
        if not (isinstance(prop, list) and len(prop) >= 4):
            continue
        name, params, value = str(prop[0]).lower(), prop[1], prop[3]
        params = params if isinstance(params, dict) else {}
        if isinstance(value, list):
            value = value if name == "adr" else " ".join(str(v) for v in value if v)
        if name in ("fn", "org", "email") and value and name not in out:
            out[name] = str(value).strip()
        elif name == "adr":
            country = params.get("cc")
            if not country and isinstance(value, list) and value:
                country = value[-1]
            if country:
                out["country"] = str(country).strip()
    return out


def _entities(obj: dict, role: str) -> list[dict]:
    found = []
    for entity in _list(obj, "entities"):
        if not isinstance(entity, dict):
            continue
        if role in _list(entity, "roles"):
            found.append(entity)
        found += _entities(entity, role)
    return found


def _event(obj: dict, action: str) -> str | None:
    for event in _list(obj, "events"):
        if isinstance(event, dict) and event.get("eventAction") == action:
            date = event.get("eventDate")
            return date if isinstance(date, str) else None
    return None


def parse_domain(obj: dict) -> dict:
    """Registration fields of an RDAP domain object (the same keys WHOIS parsing gives)."""
    if not isinstance(obj, dict) or obj.get("objectClassName") != "domain":
        raise RDAPFailure("RDAP answer is not a domain object")
    registrar = next((_holder(e) for e in _entities(obj, "registrar") if _holder(e)), None)
    registrant = next((_vcard(e) for e in _entities(obj, "registrant")), {})
    fields = {
        "registrar": registrar,
        "creation_date": _event(obj, "registration"),
        "expiration_date": _event(obj, "expiration"),
        "registrant_name": registrant.get("fn"),
        "registrant_org": registrant.get("org"),
        "registrant_email": (registrant.get("email") or "").lower() or None,
        "registrant_country": registrant.get("country"),
        "name_servers": sorted({ns["ldhName"].lower().rstrip(".")
                                for ns in _list(obj, "nameservers")
                                if isinstance(ns, dict) and isinstance(ns.get("ldhName"), str)
                                and ns["ldhName"]}),
    }
    return fields


def _holder(entity: dict) -> str | None:
    """An entity's organisation or name, else its handle (CZ.NIC names registrars by handle
    only); a name that merely repeats the handle (AFRINIC) counts as none."""
    card = _vcard(entity)
    handle = entity.get("handle") if isinstance(entity.get("handle"), str) else None
    name = card.get("org") or card.get("fn")
    return name if name and name != handle else handle


def _description(obj: dict) -> str | None:
    """The first line of a "description" remark: RIPE's and APNIC's descr, which names the
    holder when the answer carries no registrant contact."""
    for remark in _list(obj, "remarks"):  # APNIC titles it "description"; RIPE not at all
        if isinstance(remark, dict) and str(remark.get("title") or "description").lower(
                ) == "description":
            lines = [str(x).strip() for x in _list(remark, "description") if str(x).strip()]
            if lines:
                return lines[0]
    return None


def parse_ip(obj: dict) -> dict:
    """Hosting organisation and ASN of an RDAP ip network object: the registrant's
    organisation or name, else the network's description, else its name."""
    if not isinstance(obj, dict) or obj.get("objectClassName") != "ip network":
        raise RDAPFailure("RDAP answer is not an ip network object")
    holder = next((_vcard(e) for e in _entities(obj, "registrant")
                   if _vcard(e).get("org") or _vcard(e).get("fn")), {})
    asns = [a for a in _list(obj, "arin_originas0_originautnums")
            if isinstance(a, int) and not isinstance(a, bool) and a > 0]
    name = obj.get("name") if isinstance(obj.get("name"), str) else None
    org = holder.get("org") or holder.get("fn") or _description(obj) or name
    if not org and not asns:
        raise RDAPFailure("RDAP ip network has no holder or origin AS")
    return {"org": org, "asn": asns[0] if asns else None}


REGISTRANT = ("registrant_name", "registrant_org", "registrant_email")


def related_links(obj: dict) -> list[str]:
    """The registrar's own RDAP URLs for a domain that a thin registry answer points to
    (``rel="related"``, RFC 9083 §4.2; Verisign's .com and .net answers carry one)."""
    out = []
    for link in _list(obj, "links"):
        if not isinstance(link, dict) or str(link.get("rel", "")).lower() != "related":
            continue
        href, kind = link.get("href"), str(link.get("type") or "application/rdap+json")
        if (isinstance(href, str) and href.startswith(("http://", "https://"))
                and "rdap" in kind.lower() and "/domain/" in href.lower()):
            out.append(href)
    return out


