"""A STIX 2.1 bundle of a report, valid under ``stix2-validator --strict``.

- Each site is a ``domain-name`` resolving to its ``ipv4-addr``/``ipv6-addr``; its e-mail
  addresses and certificate are ``email-addr`` and ``x509-certificate`` objects, each tied
  to the site by a ``related-to`` relationship, so no observable is an orphan.
- Each cluster of linked sites is an ``infrastructure`` and a ``grouping``; ``consists-of``
  ties it to its sites and ``related-to`` ties every linked pair.
- facade's own properties (status, cluster, evidence kinds, scores, registration dates)
  travel in a property extension published in the bundle (``extension-definition``), not as
  ``x_`` properties on core objects.

Objects are written as plain dicts: the stix2 library's objects validate every property as
they are made, which took 13 s for 10,000 sites; the tests parse the bundle back with stix2
and run the OASIS validator over it. Ids are deterministic, so re-exports of a run are
identical: observables get the UUIDv5 ids STIX defines for them (as stix2 computes them);
SDOs and SROs get ids derived from a SHA-256 of what they stand for, with the version bits
of a UUIDv4, the version STIX asks for (it only says the bits look random).

Example:
    >>> bundle = stix_bundle({"run": {"id": "1", "finished_at": "2026-01-05T00:00:00+00:00"},
    ...                       "sites": [{"domain": "a.com", "status": "ok", "features": {}}],
    ...                       "clusters": []})
    >>> sorted({o["type"] for o in bundle["objects"]})
    ['domain-name', 'extension-definition', 'identity']
"""

from __future__ import annotations

import hashlib
import ipaddress
import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from stix2.canonicalization.Canonicalize import canonicalize

from analysis.reports.streamed import Streamed, write_json

SCO_NAMESPACE = uuid.UUID("00abedb4-aa42-466c-9c01-fed23315a9b7")  # STIX 2.1, 2.9
PUBLISHED = "2026-01-01T00:00:00.000Z"
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(value) -> str:
    """A value as JSON text can carry (lone surrogates replaced)."""
    return _SURROGATE.sub("\ufffd", str(value)) if value is not None else ""


def _id(kind: str, *parts: str) -> str:
    digest = hashlib.sha256(_text("|".join(["facade", kind, *parts])).encode()).digest()
    return f"{kind}--{uuid.UUID(bytes=digest[:16], version=4)}"


def _sco(kind: str, contributing: dict, **properties) -> dict:
    """An observable with the id STIX 2.1 defines: UUIDv5 of its canonical contributing
    properties."""
    name = canonicalize(contributing, utf8=False)
    return {"type": kind, "spec_version": "2.1", "id": f"{kind}--{uuid.uuid5(SCO_NAMESPACE, name)}",
            **contributing, **{k: v for k, v in properties.items() if v not in (None, "", [])}}


def _moment(value) -> str | None:
    """An ISO 8601 time as a STIX timestamp (UTC, Z); None for anything else."""
    try:
        when = datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None
    if when is None:
        return None
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"


IDENTITY = {"type": "identity", "spec_version": "2.1", "id": _id("identity", "facade"),
            "created_by_ref": _id("identity", "facade"), "created": PUBLISHED,
            "modified": PUBLISHED, "name": "facade", "identity_class": "system"}
EXTENSION_ID = "extension-definition--5f0ac6de-facd-4e7c-9a1b-2c3d4e5f6a7b"
EXTENSION = {
    "type": "extension-definition", "spec_version": "2.1", "id": EXTENSION_ID,
    "created_by_ref": IDENTITY["id"], "created": PUBLISHED, "modified": PUBLISHED,
    "name": "facade evidence", "version": "1.0.0", "extension_types": ["property-extension"],
    "description": "What facade found about a site and why sites are linked.",
    "schema": ("Properties, all optional. On domain-name: status (ok, parked, seized,"
               " dns_error, unreachable, timeout, http_error, blocked, error), message,"
               " cluster (C0001...), captured_at (web-archive capture, YYYYMMDDhhmmss),"
               " registrar, creation_date, expiration_date. On infrastructure:"
               " evidence_kinds (list), size. On relationship related-to between two"
               " domain-names: evidence_kinds (list), score (sum of the kinds' weights;"
               " linked from the threshold up), threshold. See the facade README, section"
               " Reports."),
}


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
        yield _sco("ipv4-addr" if version == 4 else "ipv6-addr", {"value": value})


# Observables that many sites may share; every other object belongs to one site or cluster.
SHARED = {"ipv4-addr", "ipv6-addr", "email-addr", "x509-certificate"}


def _domain_id(domain: str) -> str:
    return _sco("domain-name", {"value": _text(domain)})["id"]


class _Bundle:
    """Makes the objects of one site or cluster at a time; ``drain()`` hands them over, each
    object once (shared observables are remembered by id across the whole bundle)."""

    def __init__(self, when: str, run_id: str, warnings: list[str]):
        self.when, self.run_id, self.warnings = when, run_id, warnings
        self.pending: list[dict] = [IDENTITY, EXTENSION]
        self.shared: set[str] = set()
        self.local: set[str] = set()

    def add(self, obj: dict) -> str:
        made = self.shared if obj["type"] in SHARED else self.local
        if obj["id"] not in made:
            made.add(obj["id"])
            self.pending.append(obj)
        return obj["id"]

    def drain(self) -> list[dict]:
        out, self.pending, self.local = self.pending, [], set()
        return out

    def _sdo(self, kind: str, key: tuple, **properties) -> dict:
        return {"type": kind, "spec_version": "2.1", "id": _id(kind, self.run_id, *key),
                "created_by_ref": IDENTITY["id"], "created": self.when, "modified": self.when,
                **{k: v for k, v in properties.items() if v not in (None, "", [])}}

    def relate(self, kind: str, source: str, target: str, description: str,
               **facade) -> str:
        return self.add(self._sdo(
            "relationship", (kind, source, target), relationship_type=kind, source_ref=source,
            target_ref=target, description=_text(description),
            extensions=_facade(**facade) if facade else None))

    def site(self, site: dict) -> str:
        f = site.get("features", {})
        domain = _text(site["domain"])
        addresses = [self.add(a) for a in _addresses(f.get("ips", []))]
        domain_id = self.add(_sco("domain-name", {"value": domain},
                                  resolves_to_refs=addresses, extensions=_facade(
            status=_text(site["status"]), message=_text(site.get("message")),
            cluster=_text(site.get("cluster")), captured_at=site.get("captured_at"),
            registrar=_text(f.get("registrar")), creation_date=_moment(f.get("creation_date")),
            expiration_date=_moment(f.get("expiration_date")))))
        private = set(f.get("registrant_privacy") or [])
        contacts = [(f.get("registrant_email"), "registrant e-mail")] \
            if "registrant_email" not in private else []
        contacts += [(e, "e-mail on its pages") for e in f.get("emails", [])]
        for email, role in contacts:
            if email:
                target = self.add(_sco("email-addr", {"value": _text(email)}))
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
        serial = _text(f.get("cert_serial"))
        contributing = {"hashes": {"SHA-256": sha.lower()},
                        **({"serial_number": serial} if serial else {})}
        sans = ", ".join(f"DNS:{_text(n)}" for n in f.get("cert_sans", []))
        cert = self.add(_sco(
            "x509-certificate", contributing, issuer=_text(f.get("cert_issuer")),
            subject=_text(f.get("cert_subject")),
            validity_not_before=_moment(f.get("cert_not_before")),
            validity_not_after=_moment(f.get("cert_not_after")),
            x509_v3_extensions={"subject_alternative_name": sans} if sans else None))
        self.relate("related-to", domain_id, cert, f"certificate {domain} presented")

    def cluster(self, cluster: dict) -> None:
        cid = cluster["id"]
        kinds = sorted({e["kind"] for e in cluster["evidence"]})
        infra = self.add(self._sdo(
            "infrastructure", (cid,), name=_text(f"facade cluster {cid}"),
            infrastructure_types=["unknown"],
            description=f"{cluster['size']} sites linked by {', '.join(kinds)}",
            extensions=_facade(evidence_kinds=kinds, size=cluster["size"])))
        refs = [infra]
        for domain in cluster["domains"]:
            refs.append(_domain_id(domain))
            refs.append(self.relate("consists-of", infra, _domain_id(domain),
                                    f"{domain} belongs to cluster {cid}"))
        for link in cluster.get("links", []):
            a, b = link["domains"]
            refs.append(self.relate(
                "related-to", _domain_id(a), _domain_id(b), "linked by " + ", ".join(
                    f"{k} ({w:.2f})" for k, w in sorted(link["kinds"].items())),
                evidence_kinds=sorted(link["kinds"]), score=link["score"],
                threshold=cluster.get("threshold")))
        self.add(self._sdo(
            "grouping", (cid,), name=_text(f"facade cluster {cid}"),
            context="suspicious-activity", object_refs=refs,
            description=_text("; ".join(f"{e['kind']}: {e['value']}"
                                        for e in cluster["evidence"]
                                        if e.get("strength") == "strong"))[:4000]))


def _objects(report: dict, warnings: list[str]) -> Iterator[dict]:
    run = report["run"]
    bundle = _Bundle(_when(run), str(run["id"]), warnings)
    for site in report["sites"]:
        bundle.site(site)
        yield from bundle.drain()
    for cluster in report["clusters"]:
        if cluster["size"] >= 2:
            bundle.cluster(cluster)
            yield from bundle.drain()
    yield from bundle.drain()


def _when(run: dict) -> str:
    return _moment(run.get("finished_at") or run.get("started_at")) or PUBLISHED


def stix_bundle(report: dict, warnings: list[str] | None = None) -> dict:
    """The bundle (a JSON-ready dict): every site of the report, every cluster of two or
    more, every linked pair. A value STIX cannot hold (a certificate hash that is not hex,
    a date that is no date) is left out, with a warning in ``warnings`` for the hash."""
    warnings = [] if warnings is None else warnings
    run = report["run"]
    return {"type": "bundle", "id": _id("bundle", str(run["id"]), _when(run)),
            "objects": list(_objects(report, warnings))}


def write_stix(report: dict, warnings: list[str], path: Path) -> None:
    """The exporter (analysis/reports/exports.py): the bundle written as its objects are
    made, a site at a time."""
    run = report["run"]
    bundle = {"type": "bundle", "id": _id("bundle", str(run["id"]), _when(run)),
              "objects": Streamed(lambda: _objects(report, warnings), None)}
    with open(path, "w", encoding="utf-8") as out:
        write_json(bundle, out)
