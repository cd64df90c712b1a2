"""A STIX 2.1 bundle of a report (stix2), valid under ``stix2-validator --strict``.

- Each site is a ``domain-name`` resolving to its ``ipv4-addr``/``ipv6-addr``; its e-mail
  addresses and certificate are ``email-addr`` and ``x509-certificate`` objects, each tied
  to the site by a ``related-to`` relationship, so no observable is an orphan.
- Each cluster of linked sites is an ``infrastructure`` and a ``grouping``; ``consists-of``
  ties it to its sites and ``related-to`` ties every linked pair.
- facade's own properties (status, cluster, evidence kinds, scores, registration dates)
  travel in a property extension published in the bundle (``extension-definition``), not as
  ``x_`` properties on core objects.

Ids are deterministic, so re-exports of a run are identical: observables get the UUIDv5 ids
STIX defines for them; SDOs and SROs get ids derived from a SHA-256 of what they stand for
(run, cluster, sites) with the version bits of a UUIDv4, the version STIX asks for, which
only says the bits look random.

Example:
    >>> bundle = stix_bundle({"run": {"id": "1", "finished_at": "2026-01-05T00:00:00+00:00"},
    ...                       "sites": [{"domain": "a.com", "status": "ok", "features": {}}],
    ...                       "clusters": []})
    >>> sorted({o.type for o in bundle.objects})
    ['domain-name', 'extension-definition', 'identity']
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import uuid
from datetime import datetime

import stix2

PUBLISHED = "2026-01-01T00:00:00Z"


def _id(kind: str, *parts: str) -> str:
    digest = hashlib.sha256(_text("|".join(["facade", kind, *parts])).encode()).digest()
    return f"{kind}--{uuid.UUID(bytes=digest[:16], version=4)}"


_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value) -> str:
    """A value as JSON text can carry (lone surrogates replaced)."""
    return _SURROGATE.sub("\ufffd", str(value)) if value is not None else ""


IDENTITY = stix2.Identity(id=_id("identity", "facade"), name="facade",
                          identity_class="system", created=PUBLISHED, modified=PUBLISHED,
                          created_by_ref=_id("identity", "facade"))
EXTENSION_ID = "extension-definition--5f0ac6de-facd-4e7c-9a1b-2c3d4e5f6a7b"
EXTENSION = stix2.ExtensionDefinition(
    id=EXTENSION_ID, created_by_ref=IDENTITY.id, created=PUBLISHED, modified=PUBLISHED,
    name="facade evidence", version="1.0.0", extension_types=["property-extension"],
    description="What facade found about a site and why sites are linked.",
    schema=("Properties, all optional. On domain-name: status (ok, parked, seized, dns_error,"
            " unreachable, timeout, http_error, blocked, error), message, cluster (C0001...),"
            " captured_at (web-archive capture, YYYYMMDDhhmmss), registrar, creation_date,"
            " expiration_date. On infrastructure: evidence_kinds (list), size. On"
            " relationship related-to between two domain-names: evidence_kinds (list), score"
            " (sum of the kinds' weights; linked from the threshold up), threshold. See the"
            " facade README, section Reports."))


def _moment(value) -> datetime | None:
    """An ISO 8601 time as stix2 takes it; None for anything else."""
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


def _facade(**properties) -> dict:
    """The ``extensions`` value carrying facade's properties (empty ones left out)."""
    kept = {k: v for k, v in properties.items() if v not in (None, "", [])}
    return {EXTENSION_ID: {"extension_type": "property-extension", **kept}}


def _addresses(values: list[str]):
    for value in values:
        try:
            version = ipaddress.ip_address(value).version
        except ValueError:
            continue
        yield (stix2.IPv4Address if version == 4 else stix2.IPv6Address)(value=value)


def _observable(cls, what: str, warnings: list[str], **properties) -> object | None:
    """A STIX object, or None (and a warning) when the values cannot make one."""
    try:
        return cls(**properties)
    except Exception as exc:  # noqa: BLE001 - stix2 raises many kinds on odd values
        warnings.append(f"STIX: {what} left out ({type(exc).__name__}: "
                        f"{' '.join(str(exc).split())[:160]})")
        return None


class _Bundle:
    def __init__(self, when: datetime, run_id: str, warnings: list[str]):
        self.when, self.run_id, self.warnings = when, run_id, warnings
        self.objects: dict[str, object] = {IDENTITY.id: IDENTITY, EXTENSION.id: EXTENSION}

    def add(self, obj) -> str | None:
        if obj is None:
            return None
        self.objects.setdefault(obj.id, obj)
        return obj.id

    def relate(self, kind: str, source: str, target: str, description: str, *key: str,
               **facade) -> str | None:
        return self.add(_observable(
            stix2.Relationship, f"{kind} relationship", self.warnings,
            id=_id("relationship", self.run_id, kind, source, target, *key),
            created=self.when, modified=self.when, created_by_ref=IDENTITY.id,
            relationship_type=kind, source_ref=source, target_ref=target,
            description=_text(description), **({"extensions": _facade(**facade)}
                                               if facade else {})))

    def site(self, site: dict) -> str:
        f = site.get("features", {})
        domain = _text(site["domain"])
        addresses = [self.add(a) for a in _addresses(f.get("ips", []))]
        domain_id = self.add(stix2.DomainName(
            value=domain, resolves_to_refs=addresses or None, extensions=_facade(
                status=_text(site["status"]), message=_text(site.get("message")),
                cluster=_text(site.get("cluster")), captured_at=site.get("captured_at"),
                registrar=_text(f.get("registrar")), creation_date=f.get("creation_date"),
                expiration_date=f.get("expiration_date"))))
        private = set(f.get("registrant_privacy") or [])
        contacts = [(f.get("registrant_email"), "registrant e-mail")] \
            if "registrant_email" not in private else []
        contacts += [(e, "e-mail on its pages") for e in f.get("emails", [])]
        for email, role in contacts:
            if email:
                target = self.add(_observable(stix2.EmailAddress, f"e-mail of {domain}",
                                              self.warnings, value=_text(email)))
                if target:
                    self.relate("related-to", domain_id, target, f"{role} of {domain}")
        self._certificate(domain, domain_id, f)
        return domain_id

    def _certificate(self, domain: str, domain_id: str, f: dict) -> None:
        sha = f.get("cert_sha256")
        if not sha:
            return
        if not _SHA256.fullmatch(str(sha)):
            self.warnings.append(f"STIX: certificate of {domain} left out (SHA-256 "
                                 f"{_text(sha)[:80]!r} is not 64 hex digits)")
            return
        sans = ", ".join(f"DNS:{_text(n)}" for n in f.get("cert_sans", []))
        cert = self.add(_observable(
            stix2.X509Certificate, f"certificate of {domain}", self.warnings,
            hashes={"SHA-256": sha.lower()}, issuer=_text(f.get("cert_issuer")) or None,
            subject=_text(f.get("cert_subject")) or None,
            serial_number=_text(f.get("cert_serial")) or None,
            validity_not_before=_moment(f.get("cert_not_before")),
            validity_not_after=_moment(f.get("cert_not_after")),
            x509_v3_extensions={"subject_alternative_name": sans} if sans else None))
        if cert:
            self.relate("related-to", domain_id, cert, f"certificate {domain} presented")

    def cluster(self, cluster: dict, domain_ids: dict[str, str]) -> None:
        run, cid, when = self.run_id, cluster["id"], self.when
        kinds = sorted({e["kind"] for e in cluster["evidence"]})
        infra = self.add(stix2.Infrastructure(
            id=_id("infrastructure", run, cid), created=when, modified=when,
            created_by_ref=IDENTITY.id, name=_text(f"facade cluster {cid}"),
            infrastructure_types=["unknown"],
            description=f"{cluster['size']} sites linked by {', '.join(kinds)}",
            extensions=_facade(evidence_kinds=kinds, size=cluster["size"])))
        refs = [infra]
        for domain in cluster["domains"]:
            refs.append(domain_ids[domain])
            refs.append(self.relate("consists-of", infra, domain_ids[domain],
                                    f"{domain} belongs to cluster {cid}"))
        for link in cluster.get("links", []):
            a, b = link["domains"]
            refs.append(self.relate(
                "related-to", domain_ids[a], domain_ids[b], "linked by " + ", ".join(
                    f"{k} ({w:.2f})" for k, w in sorted(link["kinds"].items())),
                evidence_kinds=sorted(link["kinds"]), score=link["score"],
                threshold=cluster.get("threshold")))
        self.add(stix2.Grouping(
            id=_id("grouping", run, cid), created=when, modified=when,
            created_by_ref=IDENTITY.id, name=_text(f"facade cluster {cid}"),
            context="suspicious-activity", object_refs=[r for r in refs if r],
            description=_text("; ".join(f"{e['kind']}: {e['value']}"
                                        for e in cluster["evidence"]
                                        if e.get("strength") == "strong"))[:4000] or None))


def stix_bundle(report: dict, warnings: list[str] | None = None) -> stix2.Bundle:
    """Every site of the report, every cluster of two or more, every linked pair. A value
    STIX cannot hold (a certificate hash that is not hex, ...) is left out with a warning
    in ``warnings``."""
    warnings = [] if warnings is None else warnings
    run = report["run"]
    stamp = run.get("finished_at") or run.get("started_at") or PUBLISHED
    when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    bundle = _Bundle(when, str(run["id"]), warnings)
    domain_ids = {site["domain"]: bundle.site(site) for site in report["sites"]}
    for cluster in report["clusters"]:
        if cluster["size"] >= 2:
            bundle.cluster(cluster, domain_ids)
    return stix2.Bundle(objects=list(bundle.objects.values()))
