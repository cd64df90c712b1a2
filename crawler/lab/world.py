"""The lab world's content, generated deterministically from a seed number.

Sites come in front-company families, each linked by one planted kind of evidence, and in
decoys that share only commons (NameCheap, its default name servers, one mass-hosting
address, one privacy-service e-mail, one WordPress theme). ``World.ground_truth()`` says
which family each site belongs to and which kind links it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from crawler.lab import pages, text

NAMECHEAP = "NameCheap, Inc."
NAMECHEAP_NS = ["dns1.registrar-servers.com", "dns2.registrar-servers.com"]
NAMECHEAP_MX = ["eforward1.registrar-servers.com", "eforward2.registrar-servers.com"]
NAMECHEAP_SPF = "v=spf1 include:spf.efwd.registrar-servers.com ~all"
PRIVACY_NAME = "Redacted for Privacy"
PRIVACY_ORG = "Privacy service provided by Withheld for Privacy ehf"
PRIVACY_EMAIL = "contact@withheldforprivacy.com"
MASS_HOSTING_IP = "127.2.0.10"

# Hosting providers by /16 inside 127.0.0.0/8: (org, ASN).
PROVIDERS = {
    "127.1": ("Lab Dedicated Servers LLC", 64496),
    "127.2": ("MassHost Shared Hosting Ltd", 64500),
    "127.3": ("InterServer Lab Inc", 64501),
    "127.4": ("Hetzner Lab GmbH", 64502),
    "127.5": ("Alibaba Lab Cloud", 64503),
}
OTHER_REGISTRARS = [
    ("GoDaddy.com, LLC", ["ns01.domaincontrol.com", "ns02.domaincontrol.com"]),
    ("Gname.com Pte. Ltd.", ["ns1.gname-dns.com", "ns2.gname-dns.com"]),
    ("Alibaba Cloud Computing (Beijing) Co., Ltd.", ["dns9.hichina.com", "dns10.hichina.com"]),
]
TLDS = ["com", "com", "com", "net", "tech", "io", "asia", "services"]
FAMILY_KINDS = ["text_en", "text_zh", "registrant_email", "analytics_id", "certificate", "redirect"]
# The evidence kind each family's cluster must name.
PLANTED_EVIDENCE = {
    "text_en": "text_similarity",
    "text_zh": "text_similarity",
    "registrant_email": "registrant_email",
    "analytics_id": "analytics_id",
    "certificate": "certificate",
    "redirect": "redirect",
}
XSS_MARKER = "__facade_xss"


@dataclass
class LabSite:
    domain: str
    ip: str
    lang: str = "en"
    company: str = ""
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
    pages: dict[str, str] = field(default_factory=dict)


class World:
    """All lab sites, indexed by domain and address."""

    def __init__(self, seed: int, sites: list[LabSite]):
        self.seed = seed
        self.sites = {s.domain: s for s in sites}
        self.by_ip: dict[str, list[LabSite]] = {}
        for site in sites:
            self.by_ip.setdefault(site.ip, []).append(site)

    def site_for_host(self, host: str) -> LabSite | None:
        host = host.lower().rstrip(".")
        if host.startswith("www."):
            host = host[4:]
        return self.sites.get(host)

    def seed_domains(self) -> list[str]:
        return list(self.sites)

    def ground_truth(self) -> dict:
        families: dict[str, dict] = {}
        for site in self.sites.values():
            if site.family:
                fam = families.setdefault(
                    site.family,
                    {"kind": site.kind, "evidence": PLANTED_EVIDENCE[site.kind], "domains": []},
                )
                fam["domains"].append(site.domain)
        return {
            "seed": self.seed,
            "sites": [
                {
                    "domain": s.domain,
                    "family": s.family,
                    "kind": s.kind,
                    "expected_status": s.expected_status,
                }
                for s in self.sites.values()
            ],
            "families": families,
        }


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.used: set[str] = set()
        self.ip_counter: dict[str, int] = {}
        self.sites: list[LabSite] = []

    def domain(self, lang: str) -> str:
        while True:
            if lang == "zh":
                stem = self.rng.choice(["huaxin", "jinyang", "xinlu", "yinxing", "yunhu", "tianyu",
                                        "haifeng", "dongsheng", "boyuan", "zhida", "ruifeng"])
                stem += self.rng.choice(["tech", "soft", "it", "net", "keji", "data"])
                tld = self.rng.choice(["com", "net", "asia", "com.cn"])
            else:
                stem = self.rng.choice(text._EN_NAME_A).lower() + self.rng.choice(text._EN_NAME_B)
                stem += self.rng.choice(["", "tech", "soft", "labs", "dev", "-it", "hub", "studio"])
                tld = self.rng.choice(TLDS)
            name = f"{stem}{self.rng.randint(1, 99) if self.rng.random() < 0.3 else ''}.{tld}"
            if name not in self.used:
                self.used.add(name)
                return name

    def ip(self, block: str) -> str:
        n = self.ip_counter.get(block, 0) + 1
        self.ip_counter[block] = n
        return f"{block}.{n // 250 + 1}.{n % 250 + 1}"

    def created(self) -> datetime:
        return datetime(2019, 1, 1) + timedelta(days=self.rng.randint(0, 2000),
                                                 seconds=self.rng.randint(0, 86399))

    def new_site(self, lang: str, **kw) -> LabSite:
        site = LabSite(
            domain=self.domain(lang),
            ip=kw.pop("ip", None) or self.ip(self.rng.choice(["127.1", "127.3", "127.4", "127.5"])),
            lang=lang,
            company=text.company_name(lang, self.rng),
            created=self.created(),
            **kw,
        )
        site.cert_group = site.domain
        site.cert_sans = [site.domain, f"www.{site.domain}"]
        self.sites.append(site)
        return site

    def ga_id(self) -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "G-" + "".join(self.rng.choice(alphabet) for _ in range(10))

    # ---- families: each linked by one planted kind only -------------------------------

    def family(self, kind: str, index: int, size: int) -> None:
        fam = f"{kind}-{index}"
        lang = "zh" if kind == "text_zh" else "en"
        members = [self.new_site(lang, family=fam, kind=kind) for _ in range(size)]
        for site in members:
            site.sentences = text.company_text(lang, site.company, self.rng)
            site.analytics = [self.ga_id()] if self.rng.random() < 0.5 else []
        if kind in ("text_en", "text_zh"):
            original_name = text.company_name(lang, self.rng)
            original = text.company_text(lang, original_name, self.rng, sentences=34)
            for site in members:
                share = self.rng.uniform(0.10, 0.30)
                site.sentences = text.copy_text(
                    original, original_name, site.company, lang, self.rng, share
                )
        elif kind == "registrant_email":
            user = self.rng.choice(["kevin.lee", "tony.wang", "daniel.liu", "james.zhao"])
            email = f"{user}{self.rng.randint(10, 99)}.dev@outlook.com"
            for site in members:
                site.registrant_email = email
                site.registrant_name = text.company_name("en", self.rng).split()[0] + " Admin"
                site.registrant_org = site.company
                site.registrant_country = self.rng.choice(["US", "CN", "HK", "SG"])
        elif kind == "analytics_id":
            shared = self.ga_id()
            ua = f"UA-{self.rng.randint(10_000_000, 99_999_999)}-1"
            for site in members:
                site.analytics = [shared, ua]
        elif kind == "certificate":
            group = f"cert-{fam}"
            sans = [n for s in members for n in (s.domain, f"www.{s.domain}")]
            for site in members:
                site.cert_group, site.cert_sans, site.tls = group, sans, True
        elif kind == "redirect":
            target = members[0]
            for site in members[1:]:
                site.redirect_to = target.domain

    # ---- decoys: commons only -------------------------------------------------------

    def decoy(self, lang: str, mass_hosted: bool) -> LabSite:
        site = self.new_site(lang, ip=MASS_HOSTING_IP if mass_hosted else None)
        site.wordpress = True
        site.sentences = text.company_text(lang, site.company, self.rng)
        site.tls = self.rng.random() < 0.7
        site.analytics = [self.ga_id()] if self.rng.random() < 0.4 else []
        if self.rng.random() < 0.25:
            site.registrar, site.nameservers = self.rng.choice(OTHER_REGISTRARS)
            site.nameservers = list(site.nameservers)
        return site


def build_world(seed: int = 1, sites: int = 70) -> World:
    """Generate the lab world: ``sites`` sites (at least 60) from ``seed``, deterministically.

    Example:
        >>> w = build_world(seed=1)
        >>> len(w.sites) >= 60
        True
    """
    sites = max(sites, 60)
    b = _Builder(seed)
    groups = max(1, round(sites / 70))
    sizes = {"text_en": 5, "text_zh": 4, "registrant_email": 4, "analytics_id": 5,
             "certificate": 4, "redirect": 4}
    for g in range(groups):
        for kind in FAMILY_KINDS:
            b.family(kind, g + 1, sizes[kind])
    # Failure cases: a dead web server, a name that does not resolve, a server that errs.
    dead = b.new_site("en", expected_status="unreachable", dead=True)
    nx = b.new_site("en", expected_status="dns_error", dns=False)
    err = b.new_site("en", expected_status="http_error", error_status=503)
    for s in (dead, nx, err):
        s.sentences = text.company_text("en", s.company, b.rng, 6)
    remaining = sites - len(b.sites)
    mass = max(22, remaining // 2)
    for i in range(remaining):
        lang = "zh" if i % 10 == 3 else "en"
        b.decoy(lang, mass_hosted=i < mass)
    # Hostile content: a decoy whose title and text carry script payloads.
    hostile = next(s for s in b.sites if s.wordpress)
    hostile.title_suffix = f"<script>window.{XSS_MARKER}=1</script>"
    hostile.sentences.append(f'<img src=x onerror="window.{XSS_MARKER}=2"> Contact us today.')
    for site in b.sites:
        site.pages = pages.render_site(site)
    return World(seed, b.sites)
