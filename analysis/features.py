"""The features stage: what the crawl stored for a site, turned into feature values.

Feature names follow the JSON report (SPEC §7): registrar, nameservers, ips, asn,
hosting_org, registrant_email, analytics_ids, emails, phones, cert_sha256, cert_sans,
favicon_mmh3, redirects_to, title, language; plus registrant_name, registrant_org,
registrant_country, registrant_privacy, creation_date, mx, txt, soa_rname, ptr,
cert_issuer and cert_san_domains.
"""

from __future__ import annotations

from analysis.config import default_config
from analysis.domains import InvalidHost, domain_of_url, registrable_domain
from analysis.html import PageFacts, page_facts
from analysis.records import SiteFeatures, SiteRecord

MAX_TEXT_CHARS = 200_000


def _own_pages(record: SiteRecord) -> list[tuple[int, PageFacts]]:
    out = []
    for page in record.pages:
        if not 200 <= (page.status or 0) < 300:
            continue
        if domain_of_url(page.final_url or page.url) != record.domain:
            continue
        out.append((page.depth, page_facts(page.html, page.final_url or page.url)))
    return out


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


def site_features(record: SiteRecord, config: dict | None = None) -> SiteFeatures:
    """Derive a site's feature values and main text from its stored record."""
    config = config or default_config()
    values: dict[str, list[str]] = {}
    pages = sorted(_own_pages(record), key=lambda p: p[0])
    if pages:
        home = pages[0][1]
        _add(values, "title", [home.title])
        langs = [p.language for _, p in pages if p.language]
        _add(values, "language", [home.language or (max(set(langs), key=langs.count)
                                                      if langs else None)])
    texts: dict[str, None] = {}
    for _, facts in pages:
        _add(values, "analytics_ids", facts.trackers)
        _add(values, "emails", facts.emails)
        if facts.text:
            texts.setdefault(facts.text, None)
    text = "\n".join(texts)[:MAX_TEXT_CHARS]
    _add(values, "redirects_to", [record.redirects_to])

    dns = _data(record, "dns")
    _add(values, "ips", dns.get("A", []) + dns.get("AAAA", []))
    _add(values, "nameservers", sorted(dns.get("NS", [])))
    _add(values, "mx", dns.get("MX", []))
    _add(values, "txt", dns.get("TXT", []))
    _add(values, "soa_rname", [(dns.get("SOA") or {}).get("rname")])
    _add(values, "ptr", (dns.get("PTR") or {}).values())

    whois = _data(record, "whois")
    for key in ("registrar", "registrant_name", "registrant_org", "registrant_email",
                "registrant_country", "creation_date"):
        _add(values, key, [whois.get(key)])
    if not values.get("nameservers"):
        _add(values, "nameservers", whois.get("name_servers", []))
    _add(values, "registrant_privacy", whois.get("privacy", []))

    for ip in values.get("ips", []):
        info = _data(record, "ipwhois").get(ip) or {}
        _add(values, "asn", [f"AS{info['asn']}" if info.get("asn") else None])
        _add(values, "hosting_org", [info.get("org")])

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
    return SiteFeatures(record.domain, record.status, record.message, values, text)
