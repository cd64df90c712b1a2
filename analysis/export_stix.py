"""A STIX 2.1 bundle of a report (stix2): for each cluster of linked sites an `infrastructure`
and a `grouping`; `domain-name` (resolving to `ipv4-addr`), `email-addr` and
`x509-certificate` objects for the sites; `relationship` objects for cluster membership and
for every linked pair, carrying the evidence kinds.

Object ids are deterministic (UUIDv5 from the values), so re-exports of a run are identical.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from datetime import datetime

import stix2

NAMESPACE = uuid.UUID("6f1d8b1e-3a53-4f2c-9d0e-facade000001")
IDENTITY = stix2.Identity(id=f"identity--{uuid.uuid5(NAMESPACE, 'facade')}", name="facade",
                          identity_class="system",
                          created="2026-01-01T00:00:00Z", modified="2026-01-01T00:00:00Z")


_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value) -> str:
    """A value as JSON text can carry (lone surrogates replaced)."""
    return _SURROGATE.sub("\ufffd", str(value)) if value is not None else ""


def _id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, _text('|'.join([kind, *parts])))}"


def _ipv4(values: list[str]) -> list[str]:
    out = []
    for v in values:
        try:
            if ipaddress.ip_address(v).version == 4:
                out.append(v)
        except ValueError:
            continue
    return out


def _observable(cls, what: str, warnings: list[str], **properties) -> object | None:
    """A STIX object, or None (and a warning) when the values cannot make one."""
    try:
        return cls(**properties)
    except Exception as exc:  # noqa: BLE001 - stix2 raises many kinds on odd values
        warnings.append(f"STIX: {what} left out ({type(exc).__name__}: "
                        f"{' '.join(str(exc).split())[:160]})")
        return None


def stix_bundle(report: dict, warnings: list[str] | None = None) -> stix2.Bundle:
    """Every site of the report, every cluster of two or more, every linked pair. A value
    STIX cannot hold (a certificate hash that is not hex, ...) is left out with a warning
    in ``warnings``."""
    warnings = [] if warnings is None else warnings
    run = report["run"]
    stamp = run.get("finished_at") or run.get("started_at") or "2026-01-01T00:00:00+00:00"
    when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    objects: dict[str, object] = {IDENTITY.id: IDENTITY}
    domain_ids: dict[str, str] = {}

    def add(obj) -> str | None:
        if obj is None:
            return None
        objects.setdefault(obj.id, obj)
        return obj.id

    for site in report["sites"]:
        f = site.get("features", {})
        domain = _text(site["domain"])
        ips = [add(stix2.IPv4Address(value=ip)) for ip in _ipv4(f.get("ips", []))]
        domain_ids[site["domain"]] = add(stix2.DomainName(
            value=domain, resolves_to_refs=ips or None, allow_custom=True,
            x_facade_status=_text(site["status"]),
            x_facade_cluster=_text(site.get("cluster")) or None))
        for email in filter(None, [f.get("registrant_email"), *f.get("emails", [])]):
            add(_observable(stix2.EmailAddress, f"e-mail of {domain}", warnings,
                            value=_text(email)))
        sha = f.get("cert_sha256")
        if sha and not _SHA256.fullmatch(str(sha)):
            warnings.append(f"STIX: certificate of {domain} left out (SHA-256 "
                            f"{_text(sha)[:80]!r} is not 64 hex digits)")
        elif sha:
            sans = ", ".join(f"DNS:{_text(n)}" for n in f.get("cert_sans", []))
            add(_observable(stix2.X509Certificate, f"certificate of {domain}", warnings,
                            hashes={"SHA-256": sha},
                            issuer=_text(f.get("cert_issuer")) or None,
                            x509_v3_extensions={"subject_alternative_name": sans}
                            if sans else None))
    for cluster in report["clusters"]:
        if cluster["size"] < 2:
            continue
        kinds = sorted({e["kind"] for e in cluster["evidence"]})
        infra = stix2.Infrastructure(
            id=_id("infrastructure", run["id"], cluster["id"]), created=when, modified=when,
            created_by_ref=IDENTITY.id, name=_text(f"facade cluster {cluster['id']}"),
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
            created_by_ref=IDENTITY.id, name=_text(f"facade cluster {cluster['id']}"),
            context="suspicious-activity", object_refs=refs,
            description=_text("; ".join(f"{e['kind']}: {e['value']}"
                                        for e in cluster["evidence"]
                                        if e.get("strength") == "strong"))[:4000] or None))
    return stix2.Bundle(objects=list(objects.values()), allow_custom=True)
