"""How each lab family's shared value is planted on its members: one method per evidence
kind (``_plant_<kind>``), mixed into the builder, which gives the random source and ids."""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime, timedelta

import mmh3
import phonenumbers

from analysis.evidence.kinds.postal_address import building
from crawler.lab import text


def _b58check(payload: bytes) -> str:
    alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    num, out = int.from_bytes(raw, "big"), ""
    while num:
        num, rem = divmod(num, 58)
        out = alphabet[rem] + out
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + out


class Planting:
    """The ``_plant_<kind>(members, family, language)`` methods of the lab's builder."""

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
