"""The features stage: what the crawl stored for a site, turned into feature values.

The features, their names and where each goes are the table in analysis/feature_table.py
(names as the JSON report, SPEC §7, gives them); every feature an evidence kind reads is
filled here, from the pages (each kind that reads pages fills its own) or from the
enrichment (DNS, registration, hosting, certificate). ``extract_errors`` lists what failed
on which page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from analysis.commons import is_library_asset, privacy_fields
from analysis.domains import InvalidHost, is_on_site, registrable_domain
from analysis.evidence.kinds import page_kinds
from analysis.html import PageFacts, page_facts
from analysis.page import PageContext
from analysis.platforms import hosted_platform, page_status
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


def _error(url: str, step: str, exc: Exception) -> str:
    message = " ".join(str(exc).split())[:200]
    return f"{url}: {step}: {type(exc).__name__}: {message}"


@dataclass
class PageReading:
    """What facade reads from one page: its facts, every page kind's values by feature, and
    what failed (one line each; a failing extractor never stops the others)."""

    facts: PageFacts | None
    values: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    context: PageContext | None = None


def read_page(html: str, url: str, site: str, depth: int = 0,
              headers: dict[str, str] | None = None) -> PageReading:
    """Read one page of ``site``: title, language, main text and every page kind's values."""
    reading = PageReading(facts=None)
    ctx = reading.context = PageContext(html, url, site, depth, headers or {})
    try:  # the page is parsed once, for the facts and every kind (main text: trafilatura's)
        reading.facts = page_facts(html, url, ctx.tree)
    except Exception as exc:  # one odd page never stops a run
        reading.errors.append(_error(url, "page facts", exc))
    for kind in page_kinds():
        try:
            _add(reading.values, kind.feature, kind.page_values(ctx))
        except Exception as exc:
            reading.errors.append(_error(url, kind.name, exc))
    return reading


def _start_page(reading: PageReading, values: dict[str, list[str]]) -> str:
    """Read the start page's generator into ``values``; return what it shows a visitor
    (title, image alt texts, visible text), from which parking and seizure are judged."""
    try:
        tree = reading.context.tree
        _add(values, "generator", [n.attributes.get("content") for n in
                                   tree.css('meta[name="generator" i][content]')])
        alts = " ".join(n.attributes.get("alt") or "" for n in tree.css("img[alt]"))
        title = reading.facts.title if reading.facts else ""
        return f"{title or ''} {alts} {reading.context.body_text}"[:5000]
    except Exception as exc:
        _add(values, "extract_errors", [_error(reading.context.url, "start page", exc)])
        return ""


def _pages(record: SiteRecord, values: dict[str, list[str]]
           ) -> tuple[list[tuple[str, str]], str]:
    """Read the site's own 2xx pages into ``values``; return each page's (url, main text)
    and what the start page shows a visitor."""
    own = [p for p in record.pages if 200 <= (p.status or 0) < 300
           and is_on_site(p.final_url or p.url, record.domain)]
    own.sort(key=lambda p: p.depth)
    texts: dict[str, str] = {}
    langs: list[str] = []
    start_text = ""
    for index, page in enumerate(own):
        url = page.final_url or page.url
        reading = read_page(page.html, url, record.domain,
                            0 if index == 0 else max(1, page.depth), page.headers)
        for feature, found in reading.values.items():
            _add(values, feature, found)
        _add(values, "extract_errors", reading.errors)
        facts = reading.facts
        if index == 0:
            start_text = _start_page(reading, values)
        if facts is not None:
            if index == 0:
                _add(values, "title", [facts.title])
            if facts.language:
                langs.append(facts.language)
            if facts.text:
                texts.setdefault(facts.text, url)
    if langs:
        _add(values, "language", [langs[0] if langs[0] else max(set(langs), key=langs.count)])
    out, size = [], 0
    for text, url in texts.items():
        if size >= MAX_TEXT_CHARS:
            break
        out.append((url, text[: MAX_TEXT_CHARS - size]))
        size += len(out[-1][1])
    return out, start_text


# Fonts are licensed typefaces any site may serve, and "other" files (JSON, PDFs, feeds)
# are not what a page is built from: neither links sites.
LINKING_ASSETS = ("script", "stylesheet", "image")


def _assets(record: SiteRecord, values: dict[str, list[str]]) -> None:
    for asset in record.assets:
        if not asset.sha256 or not 200 <= asset.status < 300:
            continue
        if asset.kind == "favicon":
            _add(values, "favicon_mmh3", [asset.mmh3])
            _add(values, "favicon_sha256", [asset.sha256])
        elif asset.kind in LINKING_ASSETS and not is_library_asset(urlsplit(asset.url).path):
            _add(values, "asset_sha256", [asset.sha256])


def site_features(record: SiteRecord, config: dict) -> SiteFeatures:
    """Derive a site's feature values and main text from its stored record. Never raises:
    what fails is recorded under the feature ``extract_errors``."""
    try:
        return _site_features(record, config)
    except Exception as exc:  # a site's odd record never stops a run
        values = {"extract_errors": [_error(record.domain, "features", exc)]}
        return SiteFeatures(record.domain, record.status, record.message, values,
                            role=record.role)


def _site_features(record: SiteRecord, config: dict) -> SiteFeatures:
    values: dict[str, list[str]] = {}
    page_texts, start_text = _pages(record, values)
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
                "registrant_country", "creation_date", "expiration_date"):
        _add(values, key, [registration.get(key)])
    if not values.get("nameservers"):
        _add(values, "nameservers", registration.get("name_servers", []))
    # Judged here, from the stored values, so that a corrected commons list fixes every
    # stored run at its next `facade cluster` (an older record's own "privacy" is ignored).
    _add(values, "registrant_privacy", privacy_fields(registration))
    # Pages from a web archive (facade crawl --from-archive): when they were captured.
    _add(values, "captured_at", [_data(record, "archive").get("captured_at")])

    for ip in values.get("ips", []):
        info = _data(record, "ipwhois").get(ip) or {}
        _add(values, "asn", [f"AS{info['asn']}" if info.get("asn") else None])
        _add(values, "hosting_org", [info.get("org")])

    _add(values, "platform", [hosted_platform(record.domain, values.get("generator", []))])
    status, message = record.status, record.message
    # Pages from an archive are judged by their content alone: today's (parking) name
    # servers say nothing of the pages served when they were captured.
    archived = bool(_data(record, "archive").get("captured_at"))
    nameservers = [] if archived else values.get("nameservers", [])
    judged = page_status(start_text, nameservers) if status == "ok" else None
    if judged:
        status, message = judged
        values["page_status"] = [f"{judged[0]}: {judged[1]}"]

    for kind, imported in _data(record, "import").items():  # features given by an import
        _add(values, kind, imported if isinstance(imported, list) else [imported])

    tls = _data(record, "tls")
    if tls.get("sha256"):
        _add(values, "cert_sha256", [tls["sha256"]])
        _add(values, "cert_sans", tls.get("sans", []))
        _add(values, "cert_issuer", [tls.get("issuer")])
        _add(values, "cert_subject", [tls.get("subject")])
        _add(values, "cert_serial", [tls.get("serial")])
        _add(values, "cert_not_before", [tls.get("not_before")])
        _add(values, "cert_not_after", [tls.get("not_after")])
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
    return SiteFeatures(record.domain, status, message, values,
                        "\n".join(t for _, t in page_texts), role=record.role,
                        page_texts=page_texts)
