"""The lab world's builder: front-company families, each planted with one kind of evidence,
and decoys that share only commons. Deterministic from its seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import phonenumbers

from crawler.lab import text
from crawler.lab.model import (
    AGENT_ADDRESS,
    FAMILIES,
    MASS_HOSTING_IP,
    OTHER_REGISTRARS,
    THEME_EMAIL,
    THEME_GA,
    THEME_PHONE,
    TLDS,
    LabSite,
)
from crawler.lab.plants import Planting


class _Builder(Planting):
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
            f"<p>Theme support: {THEME_EMAIL}, Phone: {THEME_PHONE}</p>",
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
