"""Whose a page is: a hosting platform's site, a parked domain, a seized domain.

A hosting platform (wordpress.com, Blogger, Wix, GitHub Pages, ...) puts its own IDs on
every site it hosts, so a value that only sites of one platform share says nothing about
who runs them. Parking services serve one template for thousands of domains, and a seizure
banner is law enforcement's page, not the operator's: both statuses keep a site out of the
clusters (it is still reported, with its registration and DNS).

Example:
    >>> hosted_platform("gnaur.wordpress.com", [])
    'wordpress.com'
    >>> hosted_platform("acme.com", ["WordPress 6.4.2"]) is None
    True
    >>> page_status("This domain has been seized by the Federal Bureau of Investigation", [])
    ('seized', 'a law-enforcement seizure banner')
"""

from __future__ import annotations

import re

from analysis.commons import commons

_SEIZED = re.compile(
    r"this (?:domain|website|web ?site|site)(?: name)? has been seized|"
    r"(?:domain|website|site) (?:name )?(?:was|has been|is) seized by|"
    r"seized (?:by|pursuant to) (?:the )?(?:federal bureau of investigation|fbi|united states|"
    r"u\.s\.|department of justice|homeland security|europol|national crime agency)|"
    r"seizure warrant|beschlagnahmt|a été saisi",
    re.I,
)
_PARKED = re.compile(
    r"(?:this|the) domain(?: name)? (?:is|may be|might be) for sale|buy this domain|"
    r"domain (?:is|has been) parked|parked (?:free|domain)|this domain is parked|"
    r"make an offer on this domain|the domain owner (?:may|is) (?:also )?(?:be )?"
    r"(?:interested in )?selling|related searches|inquire about this domain|"
    r"this web page is parked|domain name is for sale",
    re.I,
)
PARKED_MAX_WORDS = 300


def _under(host: str, suffixes: list[str]) -> str | None:
    host = host.lower().rstrip(".")
    return next((s for s in suffixes if host == s or host.endswith("." + s)), None)


def hosted_platform(domain: str, generators: list[str]) -> str | None:
    """The hosting platform a site is on, by its host or its generator meta tag."""
    section = commons()["platforms"]
    by_host = _under(domain, section["hosts"])
    if by_host:
        return by_host
    for generator in generators:
        low = generator.lower()
        marker = next((g for g in section["generators"] if g in low), None)
        if marker:
            return marker
    return None


def page_banner(text: str) -> str | None:
    """What a start page's visible text alone says it is: "seized" (a seizure banner),
    "parked" (a short parking or domain-for-sale page), or None."""
    if _SEIZED.search(text[:5000]):
        return "seized"
    if _PARKED.search(text[:5000]) and len(text.split()) <= PARKED_MAX_WORDS:
        return "parked"
    return None


def status_of(banner: str | None, nameservers: list[str]) -> tuple[str, str] | None:
    """("seized" | "parked", why) from a start page's banner and the site's name servers."""
    if banner == "seized":
        return "seized", "a law-enforcement seizure banner"
    parking_ns = next((ns for ns in nameservers
                       if _under(ns, commons()["parking"]["nameserver_suffixes"])), None)
    if parking_ns:
        return "parked", f"name server {parking_ns} of a parking service"
    if banner == "parked":
        return "parked", "a parking or domain-for-sale page"
    return None


def page_status(text: str, nameservers: list[str]) -> tuple[str, str] | None:
    """("seized" | "parked", why) when a start page is not the operator's own, else None."""
    return status_of(page_banner(text), nameservers)
