"""Expansion: new candidate domains found by pivoting from crawled sites.

Pivots: domains a site's certificate names (SANs), the site a start page redirects to,
domains its pages link to, and (found by the store) domains of earlier runs sharing one of
its strong values. Platforms and libraries are never candidates (commons.toml, expansion).

Example:
    >>> from analysis.records import SiteFeatures
    >>> s = SiteFeatures("a.com", "ok", values={"cert_san_domains": ["a.com", "b.net"]})
    >>> [(c.domain, c.pivot) for c in pivots([s], {}, known={"a.com"})]
    [('b.net', 'certificate_san')]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from analysis.commons import commons
from analysis.domains import domain_of_url
from analysis.feature_table import pivot_kinds
from analysis.html import page_links
from analysis.records import Page, SiteFeatures

STRONG_VALUES = list(pivot_kinds())  # the values expansion pivots on (analysis/feature_table.py)


@dataclass
class Candidate:
    domain: str
    pivot: str  # certificate_san, redirect, link, or shared_<feature>
    via: str    # the crawled site it was found from
    value: str  # what was pivoted on

    def to_dict(self) -> dict:
        return asdict(self)


def _skip(domain: str) -> bool:
    skip = commons()["expansion"]["skip_domains"]
    return any(domain == s or domain.endswith("." + s) for s in skip)


def pivots(sites: list[SiteFeatures], pages: dict[str, list[Page]],
           known: set[str]) -> list[Candidate]:
    """Candidates from certificates, redirects and links; one per new domain, first found."""
    from selectolax.lexbor import LexborHTMLParser

    found: dict[str, Candidate] = {}

    def offer(domain: str | None, pivot: str, via: str, value: str) -> None:
        if domain and domain not in known and domain not in found and not _skip(domain):
            found[domain] = Candidate(domain, pivot, via, value)

    for site in sites:
        for name in site.all("cert_san_domains"):
            offer(name, "certificate_san", site.domain, f"certificate of {site.domain}")
        target = site.first("redirects_to")
        offer(target, "redirect", site.domain, f"{site.domain} redirects to {target}")
    for site in sites:
        for page in pages.get(site.domain, []):
            if not 200 <= (page.status or 0) < 300 or not page.html:
                continue
            for link in page_links(LexborHTMLParser(page.html), page.final_url or page.url):
                offer(domain_of_url(link), "link", site.domain, link)
    return list(found.values())
