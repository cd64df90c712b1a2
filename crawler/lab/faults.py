"""The lab's fault sites (misbehaving servers, each with the status it must end with) and its
SSRF probes (requests that must never be made)."""

from __future__ import annotations

from crawler.lab import text
from crawler.lab.builder import _Builder
from crawler.lab.model import LabSite

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
    "dns_silent": "ok",             # DNS never answered, web server up (the lab crawls with
                                    # --allow-private; without it: dns_error, not provable)
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
# Spellings of the internal host that a resolver like glibc's, or a proxy like Squid, would
# reach; each probe's start page leads there by a redirect or a meta refresh (alternately).
SSRF_FORMS = {
    "decimal": "2143813633", "hex": "0x7fc80001", "octal": "0177.0310.0.1",
    "short": "127.200.1", "zero": "0", "localhost": "localhost", "localhost_dot": "localhost.",
    "single_label": "intranet", "internal_tld": "admin.internal",
    "unresolvable": "nowhere-ssrf-lab.com",
}
for _form in SSRF_FORMS:
    SSRF[f"ssrf_{_form}"] = "blocked"


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
        elif (form := fault.removeprefix("ssrf_")) in SSRF_FORMS:
            target = f"http://{SSRF_FORMS[form]}:8081/admin"
            if list(SSRF_FORMS).index(form) % 2:
                site.head_extra.append(f'<meta http-equiv="refresh" content="0; url={target}">')
            else:
                site.redirect_to = target
        elif fault == "ssrf_asset":
            site.extra_hosts[f"static.{site.domain}"] = "127.200.0.2"
            site.contact_extra.append(f'<img src="http://static.{site.domain}/logo.png">')
