"""A MISP event of a report, built offline with pymisp (no server): one event per run, a
`domain-ip` object per site (with `whois` and `x509` objects where the data is there),
cluster membership as a tag on each site's domain attribute, and a `related-to` object
reference for every linked pair, commented with its evidence kinds."""

from __future__ import annotations

import re

from pymisp import MISPEvent, MISPObject

_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value) -> str:
    return _SURROGATE.sub("\ufffd", str(value)) if value is not None else ""


def _add(obj: MISPObject, relation: str, value, warnings: list[str]):
    """Add an attribute; a value its type cannot hold (a date that is no date, an address
    that is no address) is kept as text, or left out with a warning."""
    value = _text(value)
    try:
        attribute = obj.add_attribute(relation, value=value)
        if attribute is not None:
            attribute.to_json()  # pymisp checks some types only when serialising
        return attribute
    except Exception as exc:  # noqa: BLE001 - pymisp raises many kinds on odd values
        if attribute_ok := _drop(obj, relation, value):
            obj.Attribute.remove(attribute_ok)
        warnings.append(f"MISP: {relation} {value[:80]!r} kept as text "
                        f"({type(exc).__name__})")
        try:
            return obj.add_attribute("text", value=f"{relation}: {value}")
        except Exception:  # noqa: BLE001
            return None


def _drop(obj: MISPObject, relation: str, value: str):
    return next((a for a in obj.Attribute
                 if a.object_relation == relation and getattr(a, "value", None) == value), None)


def _domain_object(site: dict, warnings: list[str]) -> MISPObject:
    f = site.get("features", {})
    obj = MISPObject("domain-ip", standalone=False)
    attr = _add(obj, "domain", site["domain"], warnings)
    if site.get("cluster") and attr is not None:
        attr.add_tag(_text(f'facade:cluster="{site["cluster"]}"'))
    for ip in f.get("ips", []):
        _add(obj, "ip", ip, warnings)
    _add(obj, "text", f"facade status: {site['status']}"
         + (f" ({site['message']})" if site.get("message") else ""), warnings)
    return obj


def _whois_object(site: dict, warnings: list[str]) -> MISPObject | None:
    f = site.get("features", {})
    fields = {"registrar": f.get("registrar"), "creation-date": f.get("creation_date"),
              "registrant-email": f.get("registrant_email"),
              "registrant-name": f.get("registrant_name"),
              "registrant-org": f.get("registrant_org")}
    if not any(fields.values()):
        return None
    obj = MISPObject("whois", standalone=False)
    _add(obj, "domain", site["domain"], warnings)
    for name, value in fields.items():
        if value:
            _add(obj, name, value, warnings)
    for ns in f.get("nameservers", []):
        _add(obj, "nameserver", ns, warnings)
    return obj


def _x509_object(site: dict, warnings: list[str]) -> MISPObject | None:
    f = site.get("features", {})
    if not f.get("cert_sha256"):
        return None
    obj = MISPObject("x509", standalone=False)
    _add(obj, "x509-fingerprint-sha256", f["cert_sha256"], warnings)
    if f.get("cert_issuer"):
        _add(obj, "issuer", f["cert_issuer"], warnings)
    for name in f.get("cert_sans", []):
        _add(obj, "dns_names", name, warnings)
    return obj


def misp_event(report: dict, warnings: list[str] | None = None) -> MISPEvent:
    """The event; values MISP cannot hold are kept as text or left out, with a warning."""
    warnings = [] if warnings is None else warnings
    run = report["run"]
    event = MISPEvent()
    event.info = _text(f"facade run {run['id']}"
                       + (f": {run['label']}" if run.get("label") else ""))
    event.distribution = 0  # your organisation only, until an analyst decides otherwise
    event.threat_level_id = 4
    event.analysis = 1
    if run.get("started_at"):
        event.set_date(run["started_at"][:10])
    event.add_tag("facade:report")
    domain_objects: dict[str, MISPObject] = {}
    for site in report["sites"]:
        obj = _domain_object(site, warnings)
        event.add_object(obj)
        domain_objects[site["domain"]] = obj
        for extra in (_whois_object(site, warnings), _x509_object(site, warnings)):
            if extra is not None:
                event.add_object(extra)
                obj.add_reference(extra.uuid, "related-to")
    for cluster in report["clusters"]:
        for link in cluster.get("links", []):
            a, b = link["domains"]
            domain_objects[a].add_reference(
                domain_objects[b].uuid, "related-to",
                comment=_text(f"facade {cluster['id']}: " + ", ".join(
                    f"{k} {w:.2f}" for k, w in sorted(link["kinds"].items()))))
    return event
