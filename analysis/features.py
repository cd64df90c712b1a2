"""The features stage: what the crawl stored for a site, turned into feature values.

The features, their names and where each goes are the table in analysis/feature_table.py
(names as the JSON report, SPEC §7, gives them); every feature an evidence kind reads is
filled here, from the pages (each kind that reads pages fills its own) or from the
enrichment (DNS, registration, hosting, certificate). ``extract_errors`` lists what failed
on which page.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from analysis.commons import is_library_asset, privacy_fields
from analysis.domains import InvalidHost, is_on_site, registrable_domain
from analysis.page_reading import (
    add_values,
    error_line,
    page_reading,
    shingles_from,
    text_shingles,
)
from analysis.platforms import hosted_platform, status_of
from analysis.records import Page, SiteFeatures, SiteRecord
from analysis.text.minhash import signature_values

MAX_TEXT_CHARS = 200_000


def _data(record: SiteRecord, source: str) -> dict:
    entry = record.enrichment.get(source) or {}
    return entry.get("data") or {}


Reading = dict  # one page's reading (analysis/page_reading.py)
# How a page's reading is got: (page, the site's domain, the depth it is read at).
ReadingSource = Callable[[Page, str, int], Reading]


def fresh_reading(page: Page, site: str, depth: int) -> Reading:
    """Read the page now (no stored reading)."""
    return page_reading(page.html, page.final_url or page.url, site, depth, page.headers)


def own_pages(record: SiteRecord) -> list[tuple[Page, int]]:
    """The site's own 2xx pages in the order they are read, each with the depth it is read
    at (the start page at 0): what a reading is asked for."""
    own = [p for p in record.pages if 200 <= (p.status or 0) < 300
           and is_on_site(p.final_url or p.url, record.domain)]
    own.sort(key=lambda p: p.depth)
    return [(page, 0 if index == 0 else max(1, page.depth)) for index, page in enumerate(own)]


def _pages(record: SiteRecord, values: dict[str, list[str]], source: ReadingSource
           ) -> tuple[list[tuple[str, str, bytes | None, bytes | None]], str | None]:
    """Read the site's own 2xx pages into ``values``; return each page's (url, main text,
    stored shingles and signature) and the start page's banner (seized, parked or None)."""
    texts: dict[str, tuple[str, bytes | None, bytes | None]] = {}
    langs: list[str] = []
    banner = None
    for index, (page, depth) in enumerate(own_pages(record)):
        url = page.final_url or page.url
        reading = source(page, record.domain, depth)
        for feature, found in reading["values"].items():
            add_values(values, feature, found)
        add_values(values, "extract_errors", reading["errors"])
        if index == 0:
            start = reading.get("start") or {}
            add_values(values, "generator", start.get("generator", []))
            add_values(values, "extract_errors", [start.get("error")])
            banner = start.get("banner")
            add_values(values, "title", [reading["title"]])
        if reading["language"]:
            langs.append(reading["language"])
        if reading["text"]:
            texts.setdefault(reading["text"], (url, reading.get("shingles"),
                                               reading.get("signature")))
    if langs:
        add_values(values, "language", [langs[0] if langs[0] else max(set(langs), key=langs.count)])
    out, size = [], 0
    for text, (url, shingles, signature) in texts.items():
        if size >= MAX_TEXT_CHARS:
            break
        kept = text[: MAX_TEXT_CHARS - size]
        whole = kept == text
        out.append((url, kept, shingles if whole else None, signature if whole else None))
        size += len(kept)
    return out, banner


def without_text(site: SiteFeatures) -> SiteFeatures:
    """Drop a site's main texts, keeping what the text stage compares: each page's shingles
    (``SHINGLE_K`` words) and signature, made now where no stored reading had them."""
    shingles = list(site.page_shingles) or [None] * len(site.page_texts)
    signatures = list(site.page_signatures) or [None] * len(site.page_texts)
    for index, (_, text) in enumerate(site.page_texts):
        if shingles[index] is None:
            shingles[index] = text_shingles(text)
        if signatures[index] is None and shingles[index]:
            signatures[index] = signature_values(shingles_from(shingles[index])).tobytes()
    site.page_shingles, site.page_signatures = shingles, signatures
    site.page_texts = [(url, "") for url, _ in site.page_texts]
    site.text = ""
    return site


# Fonts are licensed typefaces any site may serve, and "other" files (JSON, PDFs, feeds)
# are not what a page is built from: neither links sites.
LINKING_ASSETS = ("script", "stylesheet", "image")


def _assets(record: SiteRecord, values: dict[str, list[str]]) -> None:
    for asset in record.assets:
        if not asset.sha256 or not 200 <= asset.status < 300:
            continue
        if asset.kind == "favicon":
            add_values(values, "favicon_mmh3", [asset.mmh3])
            add_values(values, "favicon_sha256", [asset.sha256])
        elif asset.kind in LINKING_ASSETS and not is_library_asset(urlsplit(asset.url).path):
            add_values(values, "asset_sha256", [asset.sha256])


def site_features(record: SiteRecord, config: dict,
                  source: ReadingSource = fresh_reading) -> SiteFeatures:
    """Derive a site's feature values and main text from its stored record, each page's
    reading got from ``source`` (read now, by default). Never raises: what fails is
    recorded under the feature ``extract_errors``."""
    try:
        return _site_features(record, config, source)
    except Exception as exc:  # a site's odd record never stops a run
        values = {"extract_errors": [error_line(record.domain, "features", exc)]}
        return SiteFeatures(record.domain, record.status, record.message, values,
                            role=record.role)


def _site_features(record: SiteRecord, config: dict, source: ReadingSource) -> SiteFeatures:
    values: dict[str, list[str]] = {}
    page_texts, banner = _pages(record, values, source)
    _assets(record, values)
    add_values(values, "redirects_to", [record.redirects_to])

    dns = _data(record, "dns")
    add_values(values, "ips", dns.get("A", []) + dns.get("AAAA", []))
    add_values(values, "nameservers", sorted(dns.get("NS", [])))
    add_values(values, "mx", dns.get("MX", []))
    add_values(values, "txt", dns.get("TXT", []))
    add_values(values, "soa_rname", [(dns.get("SOA") or {}).get("rname")])
    add_values(values, "ptr", (dns.get("PTR") or {}).values())

    registration = _data(record, "rdap") or _data(record, "whois")
    for key in ("registrar", "registrant_name", "registrant_org", "registrant_email",
                "registrant_country", "creation_date", "expiration_date"):
        add_values(values, key, [registration.get(key)])
    if not values.get("nameservers"):
        add_values(values, "nameservers", registration.get("name_servers", []))
    # Judged here, from the stored values, so that a corrected commons list fixes every
    # stored run at its next `facade cluster` (an older record's own "privacy" is ignored).
    add_values(values, "registrant_privacy", privacy_fields(registration))
    # Pages from a web archive (facade crawl --from-archive): when they were captured.
    add_values(values, "captured_at", [_data(record, "archive").get("captured_at")])

    for ip in values.get("ips", []):
        info = _data(record, "ipwhois").get(ip) or {}
        add_values(values, "asn", [f"AS{info['asn']}" if info.get("asn") else None])
        add_values(values, "hosting_org", [info.get("org")])

    add_values(values, "platform", [hosted_platform(record.domain, values.get("generator", []))])
    status, message = record.status, record.message
    # Pages from an archive are judged by their content alone: today's (parking) name
    # servers say nothing of the pages served when they were captured.
    archived = bool(_data(record, "archive").get("captured_at"))
    nameservers = [] if archived else values.get("nameservers", [])
    judged = status_of(banner, nameservers) if status == "ok" else None
    if judged:
        status, message = judged
        values["page_status"] = [f"{judged[0]}: {judged[1]}"]

    for kind, imported in _data(record, "import").items():  # features given by an import
        add_values(values, kind, imported if isinstance(imported, list) else [imported])

    tls = _data(record, "tls")
    if tls.get("sha256"):
        add_values(values, "cert_sha256", [tls["sha256"]])
        add_values(values, "cert_sans", tls.get("sans", []))
        add_values(values, "cert_issuer", [tls.get("issuer")])
        add_values(values, "cert_subject", [tls.get("subject")])
        add_values(values, "cert_serial", [tls.get("serial")])
        add_values(values, "cert_not_before", [tls.get("not_before")])
        add_values(values, "cert_not_after", [tls.get("not_after")])
        named = set()
        for name in tls.get("sans", []):
            try:
                named.add(registrable_domain(name.lstrip("*.")))
            except InvalidHost:
                continue
        if len(named) <= config["kinds"]["certificate_san"].get("max_names", 12):
            add_values(values, "cert_san_domains", sorted(named))
        else:
            add_values(values, "cert_shared_hosting", [f"names {len(named)} domains"])
    return SiteFeatures(record.domain, status, message, values,
                        "\n".join(t for _, t, _, _ in page_texts), role=record.role,
                        page_texts=[(url, text) for url, text, _, _ in page_texts],
                        page_shingles=[shingles for _, _, shingles, _ in page_texts],
                        page_signatures=[signature for *_, signature in page_texts])
