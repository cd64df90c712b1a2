"""A MISP event of a report, built offline with pymisp (no server): one event per run, a
`domain-ip` object per site (with `whois` and `x509` objects where the data is there),
cluster membership as a tag on each site's domain attribute, and a `related-to` object
reference for every linked pair, commented with its evidence kinds.

Values that say nothing about who runs a site (a privacy service standing in for the
registrant, a value the run found common: a registrar's name servers, shared hosting) are
exported with correlation disabled, not for IDS, and a comment saying why: correlated, they
would tie every event on an instance together. Only sites that answered (`ok`) are
indicators (`to_ids`); a parked, seized or failed site is context.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

from pymisp import MISPEvent, MISPObject
from pymisp.abstract import pymisp_json_default

from analysis.reports.streamed import Streamed, write_json

_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value) -> str:
    return _SURROGATE.sub("\ufffd", str(value)) if value is not None else ""


DATETIMES = {"creation-date", "expiration-date", "first-seen", "last-seen",
             "validity-not-before", "validity-not-after"}


def _iso(value: str) -> datetime | None:
    """An ISO 8601 time with a real offset, as pymisp takes it; None otherwise."""
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment if moment.tzinfo is None or abs(moment.utcoffset()) < timedelta(
            hours=24) else None
    except (ValueError, TypeError):
        return None


def _add(obj: MISPObject, relation: str, value, warnings: list[str], **flags):
    """Add an attribute (with pymisp's ``flags``: to_ids, disable_correlation, comment); a
    value its type cannot hold (a date that is no date, an address that is no address) is
    kept as text, or left out with a warning."""
    value = _text(value)
    try:
        moment = _iso(value) if relation in DATETIMES else None
        attribute = obj.add_attribute(relation, value=moment or value, **flags)
        if attribute is not None and attribute.type == "datetime" and moment is None:
            attribute.to_json()  # pymisp checks a date's time zone only when serialising
        return attribute
    except Exception as exc:  # noqa: BLE001 - pymisp raises many kinds on odd values
        if attribute_ok := _drop(obj, relation, value):
            obj.Attribute.remove(attribute_ok)
        warnings.append(f"MISP: {relation} {value[:80]!r} kept as text "
                        f"({type(exc).__name__})")
        try:
            return obj.add_attribute("text", value=f"{relation}: {value}",
                                     disable_correlation=True)
        except Exception:  # noqa: BLE001
            return None


def _drop(obj: MISPObject, relation: str, value: str):
    return next((a for a in obj.Attribute
                 if a.object_relation == relation and getattr(a, "value", None) == value), None)


class _Judged:
    """How each value of a site is flagged: common and privacy values neither correlate nor
    go to IDS; a site that did not answer gives no indicator."""

    def __init__(self, report: dict):
        self.common: dict[str, str] = {}
        for entry in report.get("commons") or []:
            why = _text(entry.get("common") or "common in this run")
            for value in [str(entry["value"]), *str(entry["value"]).split()]:
                self.common.setdefault(value, why)

    def flags(self, site: dict, value, field: str | None = None) -> dict:
        private = field and field in (site.get("features", {}).get("registrant_privacy") or [])
        if private:
            return {"to_ids": False, "disable_correlation": True,
                    "comment": "privacy service: stands in for the registrant"}
        why = self.common.get(_text(value))
        if why:
            return {"to_ids": False, "disable_correlation": True, "comment": f"common: {why}"}
        return {} if site["status"] == "ok" else {"to_ids": False}


def _domain_object(site: dict, judged: _Judged, warnings: list[str]) -> MISPObject:
    f = site.get("features", {})
    obj = MISPObject("domain-ip", standalone=False)
    attr = _add(obj, "domain", site["domain"], warnings, **judged.flags(site, site["domain"]))
    if site.get("cluster") and attr is not None:
        attr.add_tag(_text(f'facade:cluster="{site["cluster"]}"'))
    for ip in f.get("ips", []):
        _add(obj, "ip", ip, warnings, **judged.flags(site, ip))
    for relation, key in (("first-seen", "first_seen"), ("last-seen", "last_seen")):
        if site.get(key):
            _add(obj, relation, site[key], warnings, disable_correlation=True)
    _add(obj, "text", f"facade status: {site['status']}"
         + (f" ({site['message']})" if site.get("message") else ""), warnings,
         disable_correlation=True)
    return obj


WHOIS_FIELDS = {"registrar": "registrar", "creation-date": "creation_date",
                "expiration-date": "expiration_date", "registrant-email": "registrant_email",
                "registrant-name": "registrant_name", "registrant-org": "registrant_org"}


def _whois_object(site: dict, judged: _Judged, warnings: list[str]) -> MISPObject | None:
    f = site.get("features", {})
    if not any(f.get(key) for key in WHOIS_FIELDS.values()):
        return None
    obj = MISPObject("whois", standalone=False)
    _add(obj, "domain", site["domain"], warnings, **judged.flags(site, site["domain"]))
    for relation, key in WHOIS_FIELDS.items():
        if f.get(key):
            _add(obj, relation, f[key], warnings, **judged.flags(site, f[key], key))
    for ns in f.get("nameservers", []):
        _add(obj, "nameserver", ns, warnings, **judged.flags(site, ns))
    for ip in f.get("ips", []):
        _add(obj, "ip-address", ip, warnings, **judged.flags(site, ip))
    return obj


X509_FIELDS = {"issuer": "cert_issuer", "subject": "cert_subject",
               "serial-number": "cert_serial", "validity-not-before": "cert_not_before",
               "validity-not-after": "cert_not_after"}


def _x509_object(site: dict, judged: _Judged, warnings: list[str]) -> MISPObject | None:
    f = site.get("features", {})
    if not f.get("cert_sha256"):
        return None
    obj = MISPObject("x509", standalone=False)
    _add(obj, "x509-fingerprint-sha256", f["cert_sha256"], warnings,
         **judged.flags(site, f["cert_sha256"]))
    for relation, key in X509_FIELDS.items():
        if f.get(key):
            _add(obj, relation, f[key], warnings, disable_correlation=True)
    for name in f.get("cert_sans", []):
        _add(obj, "dns_names", name, warnings, **judged.flags(site, name))
    return obj


def _object_uuid(run_id: str, domain: str) -> str:
    """A site's domain-ip object's UUID, the same in every export of the run, so that a
    linked pair's reference can name an object written later."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"facade:{run_id}:{_text(domain)}:domain-ip"))


def _links_of(report: dict) -> dict[str, list[tuple[str, str]]]:
    """domain -> (the site it is linked to, the comment saying by what)."""
    out: dict[str, list[tuple[str, str]]] = {}
    for cluster in report["clusters"]:
        for link in cluster.get("links", []):
            a, b = link["domains"]
            out.setdefault(a, []).append((b, _text(f"facade {cluster['id']}: " + ", ".join(
                f"{k} {w:.2f}" for k, w in sorted(link["kinds"].items())))))
    return out


def _objects(report: dict, warnings: list[str]) -> Iterator[MISPObject]:
    """Each site's objects in turn: its domain-ip object (with a reference to each site it
    is linked to) and its whois and x509 objects."""
    run_id = str(report["run"]["id"])
    judged, links = _Judged(report), _links_of(report)
    for site in report["sites"]:
        obj = _domain_object(site, judged, warnings)
        obj.uuid = _object_uuid(run_id, site["domain"])
        extras = [extra for extra in (_whois_object(site, judged, warnings),
                                      _x509_object(site, judged, warnings)) if extra is not None]
        for extra in extras:
            obj.add_reference(extra.uuid, "related-to")
        for other, comment in links.get(site["domain"], []):
            obj.add_reference(_object_uuid(run_id, other), "related-to", comment=comment)
        yield obj
        yield from extras


def _event(report: dict) -> MISPEvent:
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
    return event


def misp_event(report: dict, warnings: list[str] | None = None) -> MISPEvent:
    """The event; values MISP cannot hold are kept as text or left out, with a warning."""
    warnings = [] if warnings is None else warnings
    event = _event(report)
    for obj in _objects(report, warnings):
        event.add_object(obj)
    return event


def write_misp(report: dict, warnings: list[str], path: Path) -> None:
    """The exporter (analysis/reports/exports.py): the event, its objects written as they
    are made, a site at a time."""
    event = _event(report).to_dict()
    event["Object"] = Streamed(lambda: _objects(report, warnings),
                               None if report["sites"] else 0)
    with open(path, "w", encoding="utf-8") as out:
        write_json(event, out, default=pymisp_json_default)
