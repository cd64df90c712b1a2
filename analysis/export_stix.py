"""A STIX 2.1 bundle of a report (stix2): for each cluster of linked sites an `infrastructure`
and a `grouping`; `domain-name` (resolving to `ipv4-addr`), `email-addr` and
`x509-certificate` objects for the sites; `relationship` objects for cluster membership and
for every linked pair, carrying the evidence kinds.

Object ids are deterministic (UUIDv5 from the values), so re-exports of a run are identical.
"""

from __future__ import annotations

import ipaddress
import uuid
from datetime import datetime

import stix2

NAMESPACE = uuid.UUID("6f1d8b1e-3a53-4f2c-9d0e-facade000001")
IDENTITY = stix2.Identity(id=f"identity--{uuid.uuid5(NAMESPACE, 'facade')}", name="facade",
                          identity_class="system",
                          created="2026-01-01T00:00:00Z", modified="2026-01-01T00:00:00Z")


def _id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '|'.join([kind, *parts]))}"


def _ipv4(values: list[str]) -> list[str]:
    out = []
    for v in values:
        try:
            if ipaddress.ip_address(v).version == 4:
                out.append(v)
        except ValueError:
            continue
    return out


def stix_bundle(report: dict) -> stix2.Bundle:
    """Every site of the report, every cluster of two or more, every linked pair."""
    run = report["run"]
    stamp = run.get("finished_at") or run.get("started_at") or "2026-01-01T00:00:00+00:00"
    when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    objects: dict[str, object] = {IDENTITY.id: IDENTITY}
    domain_ids: dict[str, str] = {}

    def add(obj) -> str:
        objects.setdefault(obj.id, obj)
        return obj.id

    for site in report["sites"]:
        f = site.get("features", {})
        ips = [add(stix2.IPv4Address(value=ip)) for ip in _ipv4(f.get("ips", []))]
        domain_ids[site["domain"]] = add(stix2.DomainName(
            value=site["domain"], resolves_to_refs=ips or None, allow_custom=True,
            x_facade_status=site["status"], x_facade_cluster=site.get("cluster")))
        for email in filter(None, [f.get("registrant_email"), *f.get("emails", [])]):
            add(stix2.EmailAddress(value=email))
        if f.get("cert_sha256"):
            add(stix2.X509Certificate(
                hashes={"SHA-256": f["cert_sha256"]}, issuer=f.get("cert_issuer"),
                x509_v3_extensions={"subject_alternative_name":
                                    ", ".join(f"DNS:{n}" for n in f.get("cert_sans", []))}
                if f.get("cert_sans") else None))
    for cluster in report["clusters"]:
        if cluster["size"] < 2:
            continue
        kinds = sorted({e["kind"] for e in cluster["evidence"]})
        infra = stix2.Infrastructure(
            id=_id("infrastructure", run["id"], cluster["id"]), created=when, modified=when,
            created_by_ref=IDENTITY.id, name=f"facade cluster {cluster['id']}",
            infrastructure_types=["unknown"],
            description=f"{cluster['size']} sites linked by {', '.join(kinds)}",
            allow_custom=True, x_facade_evidence_kinds=kinds)
        add(infra)
        refs = [infra.id]
        for domain in cluster["domains"]:
            refs.append(domain_ids[domain])
            refs.append(add(stix2.Relationship(
                id=_id("relationship", run["id"], cluster["id"], domain), created=when,
                modified=when, created_by_ref=IDENTITY.id, relationship_type="consists-of",
                source_ref=infra.id, target_ref=domain_ids[domain])))
        for link in cluster.get("links", []):
            a, b = link["domains"]
            link_kinds = sorted(link["kinds"])
            refs.append(add(stix2.Relationship(
                id=_id("relationship", run["id"], a, b), created=when, modified=when,
                created_by_ref=IDENTITY.id, relationship_type="related-to",
                source_ref=domain_ids[a], target_ref=domain_ids[b],
                description="linked by " + ", ".join(
                    f"{k} ({w:.2f})" for k, w in sorted(link["kinds"].items())),
                allow_custom=True, x_facade_evidence_kinds=link_kinds,
                x_facade_score=link["score"])))
        add(stix2.Grouping(
            id=_id("grouping", run["id"], cluster["id"]), created=when, modified=when,
            created_by_ref=IDENTITY.id, name=f"facade cluster {cluster['id']}",
            context="suspicious-activity", object_refs=refs,
            description="; ".join(f"{e['kind']}: {e['value']}" for e in cluster["evidence"]
                                  if e.get("strength") == "strong")[:4000] or None))
    return stix2.Bundle(objects=list(objects.values()), allow_custom=True)
