"""The features stage: what the crawl stored for a site, turned into feature values.

Feature names follow the JSON report (SPEC §7): registrar, nameservers, ips, asn,
hosting_org, registrant_email, analytics_ids, emails, phones, cert_sha256, cert_sans,
favicon_mmh3, redirects_to, title, language; plus registrant_name, registrant_org,
registrant_country, registrant_privacy, creation_date, mx, txt, soa_rname, ptr,
cert_issuer, cert_san_domains, favicon_sha256, asset_sha256, and every feature a page-reading
evidence kind fills (wallets, social, postal_addresses, verification, dom_hash,
header_order).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from analysis.commons import is_library_asset
from analysis.config import default_config
from analysis.domains import InvalidHost, domain_of_url, registrable_domain
from analysis.html import page_facts
from analysis.kinds import page_kinds
from analysis.page import PageContext
from analysis.records import SiteFeatures, SiteRecord

MAX_TEXT_CHARS = 200_000


def _data(record: SiteRecord, source: str) -> dict:
    entry = record.enrichment.get(source) or {}
    return entry.get("data") or {}


def _add(values: dict[str, list[str]], kind: str, items) -> None:
    for item in items:
        if item is None or item == "":
            continue
        item = str(item)
        bucket = values.setdefault(kind, [])
        if item not in bucket:
            bucket.append(item)


def _pages(record: SiteRecord, values: dict[str, list[str]]) -> str:
    """Read the site's own 2xx pages into ``values``; return the main text."""
    own = [p for p in record.pages if 200 <= (p.status or 0) < 300
           and domain_of_url(p.final_url or p.url) == record.domain]
    own.sort(key=lambda p: p.depth)
    kinds = page_kinds()
    texts: dict[str, None] = {}
    langs: list[str] = []
    for index, page in enumerate(own):
        url = page.final_url or page.url
        facts = page_facts(page.html, url)
        if index == 0:
            _add(values, "title", [facts.title])
        if facts.language:
            langs.append(facts.language)
        if facts.text:
            texts.setdefault(facts.text, None)
        ctx = PageContext(page.html, url, record.domain, 0 if index == 0 else max(1, page.depth),
                          page.headers)
        for kind in kinds:
            _add(values, kind.feature, kind.page_values(ctx))
    if langs:
        _add(values, "language", [langs[0] if langs[0] else max(set(langs), key=langs.count)])
    return "\n".join(texts)[:MAX_TEXT_CHARS]


def _assets(record: SiteRecord, values: dict[str, list[str]]) -> None:
    for asset in record.assets:
        if not asset.sha256 or not 200 <= asset.status < 300:
            continue
        if asset.kind == "favicon":
            _add(values, "favicon_mmh3", [asset.mmh3])
            _add(values, "favicon_sha256", [asset.sha256])
        elif not is_library_asset(urlsplit(asset.url).path):
            _add(values, "asset_sha256", [asset.sha256])


def site_features(record: SiteRecord, config: dict | None = None) -> SiteFeatures:
    """Derive a site's feature values and main text from its stored record."""
    config = config or default_config()
    values: dict[str, list[str]] = {}
    text = _pages(record, values)
    _assets(record, values)
    _add(values, "redirects_to", [record.redirects_to])

    dns = _data(record, "dns")
    _add(values, "ips", dns.get("A", []) + dns.get("AAAA", []))
    _add(values, "nameservers", sorted(dns.get("NS", [])))
    _add(values, "mx", dns.get("MX", []))
    _add(values, "txt", dns.get("TXT", []))
    _add(values, "soa_rname", [(dns.get("SOA") or {}).get("rname")])
    _add(values, "ptr", (dns.get("PTR") or {}).values())

    registration = _data(record, "rdap") or _data(record, "whois")
    for key in ("registrar", "registrant_name", "registrant_org", "registrant_email",
                "registrant_country", "creation_date"):
        _add(values, key, [registration.get(key)])
    if not values.get("nameservers"):
        _add(values, "nameservers", registration.get("name_servers", []))
    _add(values, "registrant_privacy", registration.get("privacy", []))

    for ip in values.get("ips", []):
        info = _data(record, "ipwhois").get(ip) or {}
        _add(values, "asn", [f"AS{info['asn']}" if info.get("asn") else None])
        _add(values, "hosting_org", [info.get("org")])

    for kind, imported in _data(record, "import").items():  # features given by an import
        _add(values, kind, imported if isinstance(imported, list) else [imported])

    tls = _data(record, "tls")
    if tls.get("sha256"):
        _add(values, "cert_sha256", [tls["sha256"]])
        _add(values, "cert_sans", tls.get("sans", []))
        _add(values, "cert_issuer", [tls.get("issuer")])
        named = set()
        for name in tls.get("sans", []):
            try:
                named.add(registrable_domain(name.lstrip("*.")))
            except InvalidHost:
                continue
        if len(named) <= config["kinds"]["certificate_san"].get("max_names", 12):
            _add(values, "cert_san_domains", sorted(named))
        else:
            _add(values, "cert_shared_hosting", [f"names {len(named)} domains"])
    return SiteFeatures(record.domain, record.status, record.message, values, text,
                        role=record.role)
