"""The lab world's model: its sites, the world that indexes them, and the names and values
its generator plants (commons every decoy shares, the families and the evidence they carry)."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from datetime import datetime

NAMECHEAP = "NameCheap, Inc."
NAMECHEAP_NS = ["dns1.registrar-servers.com", "dns2.registrar-servers.com"]
NAMECHEAP_MX = ["eforward1.registrar-servers.com", "eforward2.registrar-servers.com"]
NAMECHEAP_SPF = "v=spf1 include:spf.efwd.registrar-servers.com ~all"
PRIVACY_NAME = "Redacted for Privacy"
PRIVACY_ORG = "Privacy service provided by Withheld for Privacy ehf"
PRIVACY_EMAIL = "contact@withheldforprivacy.com"
MASS_HOSTING_IP = "127.2.0.10"
THEME_GA = "UA-52637921-1"
THEME_EMAIL = "support@wpastra.com"
THEME_PHONE = "+1 302-658-7581"
AGENT_ADDRESS = ("1000 N West Street, Suite 1200", "Wilmington", "19801", "US")

PROVIDERS = {
    "127.1": ("Lab Dedicated Servers LLC", 64496),
    "127.2": ("MassHost Shared Hosting Ltd", 64500),
    "127.3": ("InterServer Lab Inc", 64501),
    "127.4": ("Hetzner Lab GmbH", 64502),
    "127.5": ("Alibaba Lab Cloud", 64503),
    "127.6": ("Lab VPS Networks", 64504),
}
OTHER_REGISTRARS = [
    ("GoDaddy.com, LLC", ["ns01.domaincontrol.com", "ns02.domaincontrol.com"]),
    ("Gname.com Pte. Ltd.", ["ns1.gname-dns.com", "ns2.gname-dns.com"]),
    ("Alibaba Cloud Computing (Beijing) Co., Ltd.", ["dns9.hichina.com", "dns10.hichina.com"]),
]
TLDS = ["com", "com", "com", "net", "tech", "io", "asia", "services"]
# Family kind -> (size, the evidence kind its cluster must name).
FAMILIES = {
    "text_en": (5, "text_similarity"),
    "text_zh": (4, "text_similarity"),
    "registrant_email": (4, "registrant_email"),
    "registrant": (4, "registrant"),
    "analytics_id": (5, "analytics_id"),
    "trackers": (4, "analytics_id"),
    "certificate": (4, "certificate"),
    "certificate_san": (4, "certificate_san"),
    "redirect": (4, "redirect"),
    "favicon": (4, "favicon"),
    "asset": (4, "asset"),
    "email": (4, "email"),
    "phone": (4, "phone"),
    "wallet": (3, "wallet"),
    "social": (4, "social"),
    "postal_address": (4, "postal_address"),
    "site_verification": (4, "site_verification"),
    "soa_rname": (3, "soa_rname"),
    "weak_hosting": (3, "ip"),
    "weak_mail": (3, "mx"),
}
FAMILY_KINDS = list(FAMILIES)
PLANTED_EVIDENCE = {kind: evidence for kind, (_, evidence) in FAMILIES.items()}
XSS_MARKER = "__facade_xss"
# Fault sites (build_world(faults=True)): misbehaviour -> the status the site must end with.
@dataclass
class LabSite:
    domain: str
    ip: str
    lang: str = "en"
    company: str = ""
    role: str = "seed"  # or "reference": a genuine firm, not in the seed list
    family: str | None = None
    kind: str | None = None
    expected_status: str = "ok"
    tls: bool = True
    cert_group: str = ""
    cert_sans: list[str] = field(default_factory=list)
    dns: bool = True
    dead: bool = False
    error_status: int | None = None
    redirect_to: str | None = None
    wordpress: bool = False
    analytics: list[str] = field(default_factory=list)
    head_extra: list[str] = field(default_factory=list)
    contact_extra: list[str] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    sentences: list[str] = field(default_factory=list)
    title_suffix: str = ""
    registrar: str = NAMECHEAP
    created: datetime = datetime(2023, 1, 1)
    registrant_name: str = PRIVACY_NAME
    registrant_org: str = PRIVACY_ORG
    registrant_email: str = PRIVACY_EMAIL
    registrant_country: str = "IS"
    nameservers: list[str] = field(default_factory=lambda: list(NAMECHEAP_NS))
    mx: list[str] = field(default_factory=lambda: list(NAMECHEAP_MX))
    txt: list[str] = field(default_factory=lambda: [NAMECHEAP_SPF])
    soa_rname: str | None = None
    fault: str | None = None  # a fault site's misbehaviour (see FAULTS, SSRF)
    extra_hosts: dict[str, str] = field(default_factory=dict)  # more names -> addresses
    a_queries: int = 0  # A questions answered (the rebinding name changes its answer)
    pages: dict[str, str] = field(default_factory=dict)
    template: str | None = None  # "parked" or "seized": a page that is not the operator's
    body_extra: list[str] = field(default_factory=list)  # raw HTML at the end of every page
    archive_family: str | None = None  # a network seen only in the web archive's captures

    @property
    def resolvable(self) -> bool:
        """Whether the proxy can resolve the name (no NXDOMAIN, no SERVFAIL)."""
        return self.dns and self.fault != "servfail"


class World:
    """All lab sites, indexed by domain and address."""

    def __init__(self, seed: int, sites: list[LabSite], planted: dict[str, str] | None = None):
        self.seed = seed
        self.planted = planted or {}  # family -> the value it shares, as facade reports it
        self.lookups: list[tuple[str, str]] = []  # (service, query) the registries answered
        self.service_hosts: dict[str, str] = {}  # the lab's own service names -> address
        self.registrar_whois: str | None = None  # named by thin .com/.net WHOIS answers
        self.sites = {s.domain: s for s in sites}
        self.by_ip: dict[str, list[LabSite]] = {}
        self._indexed: tuple[dict[str, LabSite], dict[str, LabSite], LabSite | None] | None = None
        for site in sites:
            self.by_ip.setdefault(site.ip, []).append(site)

    def site_for_host(self, host: str) -> LabSite | None:
        """The site a real resolver would reach for ``host``: numeric forms are read as
        glibc's inet_aton reads them, and in a world with an internal host, names a search
        domain or local resolver would answer (localhost, single labels, .internal, names
        the public DNS does not know) reach it, as they would on a corporate network."""
        host = host.lower().rstrip(".")
        found = self.sites.get(host.removeprefix("www."))
        if found is None:
            found = self._index()[0].get(host)
        if found is None:
            found = self._as_resolved(host)
        return found

    def _index(self) -> tuple[dict[str, LabSite], dict[str, LabSite], LabSite | None]:
        """Extra host names, addresses and the internal site, indexed on first use (the
        builder and the fault plans change sites until the world is served; a 16,000-site
        world asked by a linear scan for every request slows the lab more than facade)."""
        if self._indexed is None:
            names: dict[str, LabSite] = {}
            addresses: dict[str, LabSite] = {}
            for site in self.sites.values():
                for name in site.extra_hosts:
                    names.setdefault(name, site)
                addresses.setdefault(site.ip, site)
            internal = next((s for s in self.sites.values() if s.role == "internal"), None)
            self._indexed = (names, addresses, internal)
        return self._indexed

    def _as_resolved(self, host: str) -> LabSite | None:
        _, addresses, internal = self._index()
        try:
            address = str(ipaddress.IPv4Address(socket.inet_aton(host)))
        except (OSError, ValueError):
            address = None
        if address is not None:
            return addresses.get(address, internal)
        return internal

    def _archive_families(self) -> dict:
        out: dict[str, dict] = {}
        for site in self.sites.values():
            if site.archive_family:
                fam = out.setdefault(site.archive_family, {
                    "evidence": "analytics_id", "value": site.analytics[0], "domains": []})
                fam["domains"].append(site.domain)
        return out

    def seed_domains(self) -> list[str]:
        return [d for d, s in self.sites.items() if s.role == "seed"]

    def reference_domains(self) -> list[str]:
        return [d for d, s in self.sites.items() if s.role == "reference"]

    def ground_truth(self) -> dict:
        families: dict[str, dict] = {}
        for site in self.sites.values():
            if site.family and site.role == "seed":
                fam = families.setdefault(site.family, {
                    "kind": site.kind, "evidence": PLANTED_EVIDENCE[site.kind],
                    "value": self.planted.get(site.family), "domains": []})
                fam["domains"].append(site.domain)
        for site in self.sites.values():
            if site.role == "reference":
                families[site.family]["reference"] = site.domain
        return {
            "seed": self.seed,
            "week": getattr(self, "week", 1),
            "changes": getattr(self, "changes", []),
            "sites": [
                {"domain": s.domain, "family": s.family, "kind": s.kind,
                 "expected_status": s.expected_status}
                for s in self.sites.values() if s.role == "seed"
            ],
            "references": self.reference_domains(),
            "families": families,
            # Networks that only the archive path can link (their sites are seized now).
            "archive_families": self._archive_families(),
        }
