"""The one table of features: what the features stage fills for a site, and where each goes.

Everything that names features reads this table: the JSON report (which features it carries
and their shape), ``sites.csv`` (its columns, in this order), ``facade diff`` (the changes it
watches), expansion (the values it pivots on, and the evidence kind that judges them), and
the evidence kinds (each declares the features it reads, checked against this table).

Feature names are the JSON report's (SPEC §7), so they never change; evidence kinds have
names of their own (``analytics_ids`` is read by ``analytics_id``): ``Feature.pivot`` and
``ValueKind.reads`` tie the two vocabularies together explicitly.

Example:
    >>> FEATURES["analytics_ids"].pivot
    'analytics_id'
    >>> "title" in csv_columns() and "page_status" not in report_features()
    True
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Feature:
    """One feature.

    Attributes:
        name: as the JSON report names it.
        single: one value per site (a string or null), else a list.
        label: how an analyst reads it (diff, HTML).
        report: carried in the JSON report's ``features``.
        csv: a column of ``sites.csv``.
        watched: a change of it between runs is a change `facade diff` lists.
        pivot: the evidence kind whose commons rule judges the value, when expansion may
            pivot on it (a strong value another site may share).
    """

    name: str
    single: bool
    label: str
    report: bool = True
    csv: bool = False
    watched: bool = False
    pivot: str | None = None


def _f(name: str, single: bool, label: str, **flags) -> Feature:
    return Feature(name, single, label, **flags)


S, L = True, False
# In sites.csv column order first; the rest as the features stage fills them.
_TABLE = [
    _f("title", S, "title", csv=True),
    _f("language", S, "language", csv=True),
    _f("registrar", S, "registrar", csv=True, watched=True),
    _f("creation_date", S, "registered", csv=True),
    _f("registrant_name", S, "registrant name", csv=True, watched=True),
    _f("registrant_org", S, "registrant organisation", csv=True, watched=True),
    _f("registrant_email", S, "registrant e-mail", csv=True, watched=True,
       pivot="registrant_email"),
    _f("ips", L, "addresses", csv=True, watched=True),
    _f("asn", L, "hosting network", csv=True, watched=True),
    _f("hosting_org", L, "hosting", csv=True, watched=True),
    _f("nameservers", L, "name servers", csv=True, watched=True),
    _f("analytics_ids", L, "trackers", csv=True, watched=True, pivot="analytics_id"),
    _f("emails", L, "e-mails", csv=True),
    _f("phones", L, "phones", csv=True),
    _f("cert_sha256", S, "certificate", csv=True, watched=True, pivot="certificate"),
    _f("favicon_mmh3", S, "favicon", csv=True, watched=True, pivot="favicon"),
    _f("redirects_to", S, "redirect target", csv=True, watched=True),
    _f("registrant_country", S, "registrant country"),
    _f("registrant_privacy", L, "registrant fields withheld by a privacy service"),
    _f("expiration_date", S, "expires"),
    _f("cert_sans", L, "certificate names"),
    _f("cert_issuer", S, "certificate issuer"),
    _f("cert_subject", S, "certificate subject"),
    _f("cert_serial", S, "certificate serial"),
    _f("cert_not_before", S, "certificate valid from"),
    _f("cert_not_after", S, "certificate valid until"),
    _f("favicon_sha256", S, "favicon (SHA-256)"),
    _f("asset_sha256", L, "custom scripts, stylesheets, images"),
    _f("mx", L, "mail servers"),
    _f("txt", L, "TXT records"),
    _f("ptr", L, "reverse DNS names"),
    _f("soa_rname", S, "DNS contact"),
    _f("wallets", L, "wallets", pivot="wallet"),
    _f("social", L, "social profiles"),
    _f("postal_addresses", L, "postal addresses"),
    _f("verification", L, "site-verification tokens", pivot="site_verification"),
    _f("dom_hash", S, "page structure"),
    _f("header_order", S, "server header order"),
    # Filled for other stages, not reported as features.
    _f("cert_san_domains", L, "sites the certificate names", report=False),
    _f("cert_shared_hosting", L, "certificate of a shared host", report=False),
    _f("generator", L, "site generator", report=False),
    _f("platform", L, "hosting platform", report=False),
    _f("page_status", L, "parking or seizure page", report=False),
    _f("captured_at", L, "web-archive capture", report=False),
    _f("extract_errors", L, "extraction errors", report=False),
]
FEATURES: dict[str, Feature] = {f.name: f for f in _TABLE}


def report_features(single: bool | None = None) -> list[str]:
    """The features the JSON report carries (only single or only list ones, if asked)."""
    return [f.name for f in _TABLE if f.report and (single is None or f.single == single)]


def csv_columns() -> list[str]:
    return [f.name for f in _TABLE if f.csv]


def watched() -> dict[str, str]:
    """Feature -> label, for the per-site changes `facade diff` lists."""
    return {f.name: f.label for f in _TABLE if f.watched}


def pivot_kinds() -> dict[str, str]:
    """Feature -> the evidence kind that judges it, for expansion."""
    return {f.name: f.pivot for f in _TABLE if f.pivot}
