"""The lab world's builder: front-company families, each planted with one kind of evidence,
and decoys that share only commons. Deterministic from its seed."""

from __future__ import annotations

import base64
import hashlib
import random
from datetime import datetime, timedelta

import mmh3
import phonenumbers

from analysis.evidence.kinds.postal_address import building
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
        # The operator's own mail server and SPF sender, and name servers at a DNS host of
        # its own choosing: weak kinds together. (Mail in the name servers' own domain would
        # be the DNS host's default, analysis/dns_host.py.)
        ops = f"{self.token(6)}-mail.net"
        self.planted[fam] = f"mx1.{ops}"
        dns = f"{self.token(6)}-dns.net"
        for site in members:
            site.mx = [f"mx1.{ops}"]
            site.txt = [f"v=spf1 include:_spf.{ops} ~all"]
            site.nameservers = [f"ns1.{dns}", f"ns2.{dns}"]
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
