"""A MISP event of a report, built offline with pymisp (no server): one event per run, a
`domain-ip` object per site (with `whois` and `x509` objects where the data is there),
cluster membership as a tag on each site's domain attribute, and a `related-to` object
reference for every linked pair, commented with its evidence kinds."""

from __future__ import annotations

from pymisp import MISPEvent, MISPObject


def _domain_object(site: dict) -> MISPObject:
    f = site.get("features", {})
    obj = MISPObject("domain-ip", standalone=False)
    attr = obj.add_attribute("domain", value=site["domain"])
    if site.get("cluster"):
        attr.add_tag(f'facade:cluster="{site["cluster"]}"')
    for ip in f.get("ips", []):
        obj.add_attribute("ip", value=ip)
    obj.add_attribute("text", value=f"facade status: {site['status']}"
                      + (f" ({site['message']})" if site.get("message") else ""))
    return obj


def _whois_object(site: dict) -> MISPObject | None:
    f = site.get("features", {})
    fields = {"registrar": f.get("registrar"), "creation-date": f.get("creation_date"),
              "registrant-email": f.get("registrant_email"),
              "registrant-name": f.get("registrant_name"),
              "registrant-org": f.get("registrant_org")}
    if not any(fields.values()):
        return None
    obj = MISPObject("whois", standalone=False)
    obj.add_attribute("domain", value=site["domain"])
    for name, value in fields.items():
        if value:
            obj.add_attribute(name, value=value)
    for ns in f.get("nameservers", []):
        obj.add_attribute("nameserver", value=ns)
    return obj


def _x509_object(site: dict) -> MISPObject | None:
    f = site.get("features", {})
    if not f.get("cert_sha256"):
        return None
    obj = MISPObject("x509", standalone=False)
    obj.add_attribute("x509-fingerprint-sha256", value=f["cert_sha256"])
    if f.get("cert_issuer"):
        obj.add_attribute("issuer", value=f["cert_issuer"])
    for name in f.get("cert_sans", []):
        obj.add_attribute("dns_names", value=name)
    return obj


def misp_event(report: dict) -> MISPEvent:
    run = report["run"]
    event = MISPEvent()
    event.info = f"facade run {run['id']}" + (f": {run['label']}" if run.get("label") else "")
    event.distribution = 0  # your organisation only, until an analyst decides otherwise
    event.threat_level_id = 4
    event.analysis = 1
    if run.get("started_at"):
        event.set_date(run["started_at"][:10])
    event.add_tag("facade:report")
    domain_objects: dict[str, MISPObject] = {}
    for site in report["sites"]:
        obj = _domain_object(site)
        event.add_object(obj)
        domain_objects[site["domain"]] = obj
        for extra in (_whois_object(site), _x509_object(site)):
            if extra is not None:
                event.add_object(extra)
                obj.add_reference(extra.uuid, "related-to")
    for cluster in report["clusters"]:
        for link in cluster.get("links", []):
            a, b = link["domains"]
            domain_objects[a].add_reference(
                domain_objects[b].uuid, "related-to",
                comment=f"facade {cluster['id']}: " + ", ".join(
                    f"{k} {w:.2f}" for k, w in sorted(link["kinds"].items())))
    return event
