"""The lab world's content, generated deterministically from a seed number.

Sites come in front-company families, each linked by one planted kind of evidence (weak
kinds are planted in the combinations that link), decoys that share only each kind's commons
(NameCheap, its default name and mail servers, one mass-hosting address and its shared
certificate, one privacy-service e-mail, a WordPress theme with its footer, cookie banner,
favicon, scripts, embedded tracker and demo contacts, a registered-agent address), failing
sites, and reference sites: the genuine firms whose text the copy families cloned.
``World.ground_truth()`` says which family each site belongs to and which kind links it.
"""

from __future__ import annotations

import base64
import hashlib
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import mmh3
import phonenumbers

from analysis.kinds.postal_address import building
from crawler.lab import pages, text

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
FAULTS = {
    "tarpit": "timeout",            # accepts the connection, never answers
    "redirect_loop": "http_error",  # two domains redirecting to each other (two sites)
    "all_500": "http_error",        # every page answers 500
    "huge_page": "error",           # a 60 MB page
    "gzip_bomb": "error",           # a small gzip body that inflates past 500 MB
    "binary_html": "ok",            # malformed, binary "HTML"
    "gbk_meta": "ok",               # GBK text whose charset only a meta tag declares
    "tls_failure": "ok",            # the TLS handshake fails; plain HTTP works
    "reset": "unreachable",         # the connection is reset mid-body
    "servfail": "dns_error",        # the name server answers SERVFAIL
    "dns_silent": "ok",             # DNS queries never answered, the web server is up
    "whois_garbage": "ok",          # WHOIS answers garbage bytes (and RDAP knows nothing)
    "whois_close": "ok",            # WHOIS closes at once
    "whois_ratelimit": "ok",        # WHOIS answers "query limit exceeded"
}
GBK_TITLE = "沈阳华信软件有限公司"
# SSRF probes (build_world(ssrf=True)), for a crawl that treats 127.0.0.0/9 as public
# (--public-net) without --allow-private: addresses in 127.200.0.0/16 are "internal".
PUBLIC_NET = "127.0.0.0/9"
INTERNAL_HOST, INTERNAL_IP = "corp-intranet.net", "127.200.0.1"
SSRF = {
    "ssrf_redirect": "blocked",  # the start page redirects to the internal host
    "ssrf_asset": "blocked",     # an image on a same-site name that resolves inside
    "rebind": "ok",              # answers a public address, then an internal one
}


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
        self.sites = {s.domain: s for s in sites}
        self.by_ip: dict[str, list[LabSite]] = {}
        for site in sites:
            self.by_ip.setdefault(site.ip, []).append(site)

    def site_for_host(self, host: str) -> LabSite | None:
        host = host.lower().rstrip(".")
        found = self.sites.get(host.removeprefix("www."))
        if found is None:
            found = next((s for s in self.sites.values() if host in s.extra_hosts), None)
        return found

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
        }


def _b58check(payload: bytes) -> str:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    num, out = int.from_bytes(raw, "big"), ""
    while num:
        num, rem = divmod(num, 58)
        out = alphabet[rem] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


class _Builder:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.used: set[str] = set()
        self.ip_counter: dict[str, int] = {}
        self.sites: list[LabSite] = []
        self.planted: dict[str, str] = {}
        self.theme_files = {
            "/favicon.ico": ("image/x-icon", b"\x00\x00\x01\x00WP-DEFAULT-ICON" * 8),
            "/wp-content/themes/astra/style.min.css": (
                "text/css", b".ast-container{max-width:1240px}" * 40),
            "/wp-includes/js/jquery/jquery.min.js": (
                "application/javascript", b"/*! jQuery v3.7.1 */!function(e,t){}" * 40),
        }

    def unique(self, draw) -> str:
        """Draw a planted value until it is one no other family has: families must share
        nothing with each other, or the ground truth would be wrong."""
        while True:
            value = draw()
            if value not in self.used:
                self.used.add(value)
                return value

    def token(self, n: int, alphabet: str = "abcdefghijklmnopqrstuvwxyz0123456789") -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

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

    def phone(self) -> str:
        while True:
            region, prefix = self.rng.choice([("CN", "+86 24"), ("US", "+1 646"),
                                              ("GB", "+44 20"), ("HK", "+852 2")])
            digits = "".join(self.rng.choice("0123456789") for _ in range(8 if region != "US"
                                                                           else 7))
            number = f"{prefix} {digits}"
            parsed = phonenumbers.parse(number, None)
            if phonenumbers.is_valid_number(parsed):
                return number

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
        # Every site has files of its own: a favicon and a stylesheet nobody else has.
        icon = b"\x00\x00\x01\x00" + self.token(48).encode()
        css = f"body{{color:#{self.token(6, '0123456789abcdef')}}}".encode() * 20
        site.files["/favicon.ico"] = ("image/x-icon", icon)
        site.files["/assets/site.css"] = ("text/css", css)
        site.head_extra += ['<link rel="icon" href="/favicon.ico">',
                            '<link rel="stylesheet" href="/assets/site.css">']
        site.contact_extra.append(f"<p>Write to info@{site.domain} for a quote.</p>")
        self.sites.append(site)
        return site

    def ga_id(self) -> str:
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "G-" + "".join(self.rng.choice(alphabet) for _ in range(10))

    # ---- families: each linked by one planted kind only -------------------------------

    def family(self, kind: str, index: int) -> None:
        size = FAMILIES[kind][0]
        fam = f"{kind}-{index}"
        lang = "zh" if kind == "text_zh" else "en"
        members = [self.new_site(lang, family=fam, kind=kind) for _ in range(size)]
        for site in members:
            site.sentences = text.company_text(lang, site.company, self.rng)
            site.analytics = [self.ga_id()] if self.rng.random() < 0.5 else []
        getattr(self, f"_plant_{kind}")(members, fam, lang)

    def _plant_text_en(self, members, fam, lang):
        original_name = text.company_name(lang, self.rng)
        original = text.company_text(lang, original_name, self.rng, sentences=34)
        for site in members:
            site.sentences = text.copy_text(original, original_name, site.company, lang,
                                            self.rng, self.rng.uniform(0.10, 0.30))
        # The genuine firm they copied: a reference site, older than its clones.
        ref = self.new_site(lang, role="reference", family=fam, kind=members[0].kind)
        ref.company, ref.sentences = original_name, original
        ref.created = datetime(2012, 5, 1) + timedelta(days=self.rng.randint(0, 600))
        ref.registrant_name, ref.registrant_org = "Domain Administrator", original_name
        ref.registrant_email = f"domains@{ref.domain}"

    _plant_text_zh = _plant_text_en

    def _plant_registrant_email(self, members, fam, lang):
        email = self.unique(lambda: f"{self.rng.choice(['kevin.lee', 'tony.wang', 'daniel.liu'])}"
                                    f"{self.rng.randint(10, 999)}.dev@outlook.com")
        self.planted[fam] = email
        for site in members:
            site.registrant_email = email
            site.registrant_name = text.company_name("en", self.rng).split()[0] + " Admin"
            site.registrant_org = site.company
            site.registrant_country = self.rng.choice(["US", "CN", "HK", "SG"])

    def _plant_registrant(self, members, fam, lang):
        name = self.unique(lambda: f"{self.rng.choice(['Tony', 'Jin', 'Daniel', 'Ming', 'Kevin'])}"
                                   f" {self.rng.choice(['Wang', 'Yang', 'Liu', 'Zhao', 'Li'])}"
                                   f" {self.rng.choice('ABCDEFGHJKLMNPRSTW')}.")
        org = f"{name.split()[1]} Tech Solutions LLC"
        self.planted[fam] = f"{name} / {org}"
        for site in members:
            site.registrant_name, site.registrant_org = name, org
            site.registrant_email = f"admin@{site.domain}"
            site.registrant_country = "US"

    def _plant_analytics_id(self, members, fam, lang):
        shared = self.ga_id()
        ua = f"UA-{self.rng.randint(10_000_000, 99_999_999)}-1"
        self.planted[fam] = shared
        for site in members:
            site.analytics = [shared, ua]

    def _plant_trackers(self, members, fam, lang):
        pixel, ym = self.rng.randint(10**14, 10**15), self.rng.randint(10**7, 10**8)
        hj, baidu = self.rng.randint(10**6, 10**7), self.token(32, "0123456789abcdef")
        self.planted[fam] = f"fb-pixel:{pixel}"
        snippets = [
            f"<script>fbq('init', '{pixel}');fbq('track','PageView');</script>",
            f'<script>ym({ym}, "init", {{clickmap:true}});</script>',
            f"<script>(function(h){{h._hjSettings={{hjid:{hj},hjsv:6}};}})(window);</script>",
            f'<script src="https://hm.baidu.com/hm.js?{baidu}"></script>',
        ]
        for i, site in enumerate(members):
            site.analytics = []
            site.head_extra.append(snippets[i % len(snippets)])
            site.head_extra.append(snippets[(i + 1) % len(snippets)])

    def _plant_certificate(self, members, fam, lang):
        sans = [n for s in members for n in (s.domain, f"www.{s.domain}")]
        for site in members:
            site.cert_group, site.cert_sans, site.tls = f"cert-{fam}", sans, True

    def _plant_certificate_san(self, members, fam, lang):
        head = members[0]
        self.planted[fam] = members[1].domain
        head.tls = True
        head.cert_sans = [n for s in members for n in (s.domain, f"www.{s.domain}")]

    def _plant_redirect(self, members, fam, lang):
        self.planted[fam] = members[0].domain
        for site in members[1:]:
            site.redirect_to = members[0].domain

    def _plant_favicon(self, members, fam, lang):
        icon = ("image/x-icon", b"\x00\x00\x01\x00FRONT-" + self.token(40).encode())
        self.planted[fam] = str(mmh3.hash(base64.encodebytes(icon[1])))
        for site in members:
            site.files["/favicon.ico"] = icon

    def _plant_asset(self, members, fam, lang):
        js = ("application/javascript",
              f"/* contact widget {self.token(12)} */ function w(){{return 1}}".encode() * 30)
        self.planted[fam] = hashlib.sha256(js[1]).hexdigest()
        for site in members:
            site.files["/assets/app.js"] = js
            site.head_extra.append('<script src="/assets/app.js"></script>')

    def _plant_email(self, members, fam, lang):
        user = self.unique(lambda: self.rng.choice(["daniel.liu", "kevin.hr", "tony.recruit"])
                           + str(self.rng.randint(1, 9999)))
        self.planted[fam] = f"{user}@protonmail.com"
        for i, site in enumerate(members):
            written = (f"{user} [at] protonmail [dot] com" if i % 2 else
                       f'<a href="mailto:{user}@protonmail.com">{user}@protonmail.com</a>')
            site.contact_extra.append(f"<p>Hiring: {written}</p>")

    def _plant_phone(self, members, fam, lang):
        # One member asks crawlers (by robots.txt) to keep out of /services.
        members[0].files["/robots.txt"] = ("text/plain",
                                          b"User-agent: *\nDisallow: /services\n")
        number = self.unique(self.phone)
        self.planted[fam] = phonenumbers.format_number(phonenumbers.parse(number, None),
                                                       phonenumbers.PhoneNumberFormat.E164)
        for site in members:
            site.contact_extra.append(f"<p>Call us: {number}</p>")

    def _plant_wallet(self, members, fam, lang):
        wallet = _b58check(b"\x41" + bytes(self.rng.randrange(256) for _ in range(20)))
        self.planted[fam] = f"trx:{wallet}"
        for site in members:
            site.contact_extra.append(f"<p>We accept USDT (TRC-20): {wallet}</p>")

    def _plant_social(self, members, fam, lang):
        handle = f"{self.token(6)}-{self.rng.choice(['tech', 'dev', 'group'])}"
        self.planted[fam] = f"linkedin:company/{handle}"
        for site in members:
            site.contact_extra.append(
                f'<a href="https://www.linkedin.com/company/{handle}/">LinkedIn</a> '
                f'<a href="https://t.me/{handle.replace("-", "_")}">Telegram</a>')

    def _plant_postal_address(self, members, fam, lang):
        street = self.unique(lambda: f"{self.rng.randint(10, 999)} "
                                     f"{self.rng.choice(['Harbour', 'Nathan', 'Queen'])} Road")
        self.planted[fam] = building({"streetAddress": street, "addressLocality": "Wan Chai",
                                      "addressCountry": "HK"})
        for i, site in enumerate(members):
            site.contact_extra.append(
                '<script type="application/ld+json">{"@context":"https://schema.org",'
                f'"@type":"Organization","name":"{site.company}","address":{{"@type":'
                f'"PostalAddress","streetAddress":"{street}, Room {1201 + i}",'
                '"addressLocality":"Wan Chai","addressCountry":"HK"}}</script>')

    def _plant_site_verification(self, members, fam, lang):
        token = self.token(43, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
        self.planted[fam] = f"google:{token}"
        for i, site in enumerate(members):
            if i % 2:
                site.head_extra.append(f'<meta name="google-site-verification" content="{token}">')
            else:
                site.txt = [*site.txt, f"google-site-verification={token}"]

    def _plant_soa_rname(self, members, fam, lang):
        admin = f"dnsadmin.{self.token(7)}-ops.net"
        self.planted[fam] = admin
        for site in members:
            site.soa_rname = admin

    def _plant_weak_hosting(self, members, fam, lang):
        # A dedicated address, an unusual registrar and registrations within days: weak
        # kinds that link only together.
        ip = self.ip("127.6")
        self.planted[fam] = ip
        created = self.created()
        for site in members:
            site.ip = ip
            site.registrar, site.nameservers = "Dynadot Inc", ["ns1.dyna-ns.net", "ns2.dyna-ns.net"]
            site.created = created + timedelta(days=self.rng.uniform(0, 5))

    def _plant_weak_mail(self, members, fam, lang):
        # The operator's own mail server, SPF sender and name servers: weak kinds together.
        ops = f"{self.token(6)}-mail.net"
        self.planted[fam] = f"mx1.{ops}"
        for site in members:
            site.mx = [f"mx1.{ops}"]
            site.txt = [f"v=spf1 include:_spf.{ops} ~all"]
            site.nameservers = [f"ns1.{ops}", f"ns2.{ops}"]
            site.soa_rname = f"hostmaster.{site.domain}"

    # ---- decoys: commons only -------------------------------------------------------

    def decoy(self, lang: str, mass_hosted: bool, agent_address: bool) -> LabSite:
        site = self.new_site(lang, ip=MASS_HOSTING_IP if mass_hosted else None)
        site.wordpress = True
        site.sentences = text.company_text(lang, site.company, self.rng)
        site.tls = self.rng.random() < 0.7
        site.analytics = [self.ga_id()] if self.rng.random() < 0.4 else []
        site.files.update(self.theme_files)
        site.head_extra = [
            '<link rel="icon" href="/favicon.ico">',
            '<link rel="stylesheet" href="/wp-content/themes/astra/style.min.css?ver=4.6.1">',
            '<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>',
            f"<script>ga('create','{THEME_GA}','auto');</script>",
        ]
        site.contact_extra += [
            f"<p>Theme support: {THEME_EMAIL}, {THEME_PHONE}</p>",
            '<a href="https://www.facebook.com/WordPress">Facebook</a>'
            ' <a href="https://x.com/WordPress">X</a>',
        ]
        if agent_address:
            street, city, postal, country = AGENT_ADDRESS
            site.contact_extra.append(
                '<div itemscope itemtype="https://schema.org/PostalAddress">'
                f'<span itemprop="streetAddress">{street}</span> '
                f'<span itemprop="addressLocality">{city}</span> '
                f'<span itemprop="postalCode">{postal}</span> '
                f'<span itemprop="addressCountry">{country}</span></div>')
        if self.rng.random() < 0.25:
            site.registrar, nameservers = self.rng.choice(OTHER_REGISTRARS)
            site.nameservers = list(nameservers)
        return site


def _add_faults(b: _Builder) -> None:
    for fault, status in FAULTS.items():
        site = b.new_site("en", expected_status=status)
        site.fault = fault
        site.sentences = text.company_text("en", site.company, b.rng, 12)
        if fault in ("reset", "huge_page", "gzip_bomb"):
            site.tls = False  # misbehave on the plain-HTTP fallback, after CONNECT is refused
        if fault == "all_500":
            site.error_status = 500
        if fault == "gbk_meta":
            site.lang, site.company = "zh", GBK_TITLE
            site.sentences = text.company_text("zh", GBK_TITLE, b.rng, 12)
    loop = b.new_site("en", expected_status="http_error")
    loop.fault = "redirect_loop"
    first = next(s for s in b.sites if s.fault == "redirect_loop")
    first.redirect_to, loop.redirect_to = loop.domain, first.domain


def _add_ssrf(b: _Builder) -> None:
    internal = LabSite(domain=INTERNAL_HOST, ip=INTERNAL_IP, role="internal",
                       company="Corp Intranet", tls=False)
    internal.sentences = ["Internal administration console. Authorised staff only."] * 30
    b.sites.append(internal)
    for fault, status in SSRF.items():
        site = b.new_site("en", expected_status=status)
        site.fault = fault
        site.sentences = text.company_text("en", site.company, b.rng, 12)
        if fault == "ssrf_redirect":
            site.redirect_to = INTERNAL_HOST
        elif fault == "ssrf_asset":
            site.extra_hosts[f"static.{site.domain}"] = "127.200.0.2"
            site.contact_extra.append(f'<img src="http://static.{site.domain}/logo.png">')


def _week_two(b: _Builder, world_sites: list[LabSite]) -> list[dict]:
    """Turn week 1 into week 2 and return the changes a diff must show."""
    rng = random.Random(f"week2-{len(world_sites)}")
    changes: list[dict] = []
    by_kind = lambda kind: [s for s in world_sites if s.kind == kind and s.role == "seed"]  # noqa: E731
    # Two new fronts join the analytics family (same tracker IDs, text of their own).
    family = by_kind("analytics_id")
    for _ in range(2):
        site = b.new_site("en", family=family[0].family, kind="analytics_id")
        site.sentences = text.company_text("en", site.company, b.rng)
        site.analytics = list(family[0].analytics)
        changes.append({"change": "new_site", "domain": site.domain,
                        "cluster_of": family[0].domain})
    # The registrant-e-mail family moves to another hosting provider.
    for site in by_kind("registrant_email"):
        old = site.ip
        site.ip = b.ip("127.4" if not old.startswith("127.4") else "127.5")
        changes.append({"change": "hosting", "domain": site.domain, "before": old,
                        "after": site.ip})
    # A decoy is taken down.
    gone = next(s for s in world_sites if s.wordpress and s.expected_status == "ok"
                and not s.title_suffix)
    gone.dead, gone.expected_status = True, "unreachable"
    changes.append({"change": "taken_down", "domain": gone.domain})
    # A front changes its tracker ID.
    moved = next(s for s in by_kind("text_en") if s.analytics) if any(
        s.analytics for s in by_kind("text_en")) else by_kind("text_en")[0]
    before = list(moved.analytics)
    moved.analytics = [b.ga_id()]
    changes.append({"change": "tracker", "domain": moved.domain, "before": before,
                    "after": moved.analytics})
    del rng
    return changes


def build_world(seed: int = 1, sites: int = 140, faults: bool = False,
                ssrf: bool = False, week: int = 1) -> World:
    """Generate the lab world: ``sites`` seed sites (at least 120) from ``seed``; with
    ``faults``, the fault sites of FAULTS besides.

    Example:
        >>> w = build_world(seed=1)
        >>> len(w.seed_domains()) >= 120
        True
    """
    sites = max(sites, 120)
    b = _Builder(seed)
    groups = max(1, round(sites / 140))
    for g in range(groups):
        for kind in FAMILY_KINDS:
            b.family(kind, g + 1)
    dead = b.new_site("en", expected_status="unreachable", dead=True)
    nx = b.new_site("en", expected_status="dns_error", dns=False)
    err = b.new_site("en", expected_status="http_error", error_status=503)
    for s in (dead, nx, err):
        s.sentences = text.company_text("en", s.company, b.rng, 6)
    remaining = sites - len([s for s in b.sites if s.role == "seed"])
    if faults:
        _add_faults(b)
    if ssrf:
        _add_ssrf(b)
    mass = max(22, remaining // 2)
    decoys = [b.decoy("zh" if i % 10 == 3 else "en", mass_hosted=i < mass,
                      agent_address=i % 3 == 0) for i in range(remaining)]
    # Shared hosting: one certificate naming every mass-hosted customer.
    hosted = [d for d in decoys if d.ip == MASS_HOSTING_IP and d.tls]
    sans = ["*.masshost-lab.net", *[d.domain for d in hosted]]
    for d in hosted:
        d.cert_group, d.cert_sans = "cert-masshost", sans
    # Hostile content: a decoy whose title and text carry script payloads.
    hostile = decoys[0]
    hostile.title_suffix = f"<script>window.{XSS_MARKER}=1</script>"
    hostile.sentences.append(f'<img src=x onerror="window.{XSS_MARKER}=2"> Contact us today.')
    jobs = f"/jobs/%22%3E%3Cscript%3Ewindow.{XSS_MARKER}=4%3C/script%3E"
    hostile.sentences.append(f'<a href="javascript:window.{XSS_MARKER}=3">Careers</a>'
                             f' <a href="{jobs}">Open positions</a>')
    hostile.registrant_name = f"<script>window.{XSS_MARKER}=5</script>"
    hostile.registrant_org = f'"><img src=x onerror="window.{XSS_MARKER}=6">'
    hostile.contact_extra.append(f"<p>Mail <a href=\"mailto:x@y.example?<script>{XSS_MARKER}"
                                 "</script>\">us</a></p>")
    changes = _week_two(b, list(b.sites)) if week == 2 else []
    for site in b.sites:
        site.pages = pages.render_site(site)
    world = World(seed, b.sites, b.planted)
    world.week, world.changes = week, changes
    return world
