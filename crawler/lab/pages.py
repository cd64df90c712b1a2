"""HTML for lab sites: a custom layout for fronts, a shared WordPress theme for decoys."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from crawler.lab.background import template_pages

if TYPE_CHECKING:
    from crawler.lab.world import LabSite

NAV = [("/", "Home"), ("/about", "About"), ("/services", "Services"), ("/contact", "Contact")]
NAV_ZH = [("/", "首页"), ("/about", "关于我们"), ("/services", "服务"), ("/contact", "联系我们")]
WP_COOKIE_BANNER = (
    '<div id="cookie-notice" class="cookie-notice cn-position-bottom"><span id="cn-notice-text">'
    "We use cookies to ensure that we give you the best experience on our website. If you "
    "continue to use this site we will assume that you are happy with it.</span>"
    '<a href="#" class="cn-set-cookie">Ok</a> <a href="/privacy-policy/">Privacy policy</a></div>'
)
WP_FOOTER = (
    '<footer class="site-footer" id="colophon"><div class="ast-footer-copyright">'
    "<p>Copyright &copy; 2024 | Powered by Astra WordPress Theme. Designed with care for "
    "small businesses everywhere. All rights reserved.</p></div></footer>"
)


def _analytics(ids: list[str]) -> str:
    parts = []
    for tid in ids:
        if tid.startswith("G-"):
            parts.append(
                f'<script async src="https://www.googletagmanager.com/gtag/js?id={tid}"></script>'
                "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push("
                f"arguments);}}gtag('js',new Date());gtag('config','{tid}');</script>"
            )
        elif tid.startswith("UA-"):
            parts.append(f"<script>ga('create','{tid}','auto');ga('send','pageview');</script>")
    return "".join(parts)


def _page(site: LabSite, path: str, body_sentences: list[str]) -> str:
    nav = NAV_ZH if site.lang == "zh" else NAV
    links = "".join(f'<li><a href="{href}">{label}</a></li>' for href, label in nav)
    # Sentences are escaped, except the deliberately hostile ones the world plants.
    paragraphs = "".join(
        f"<p>{s if 'onerror' in s else escape(s)}</p>" for s in body_sentences
    )
    head_extra = _analytics(site.analytics) + "".join(site.head_extra)
    title = f"{escape(site.company)} | {path.strip('/').title() or 'Home'}{site.title_suffix}"
    if site.wordpress:
        head_extra += '<meta name="generator" content="WordPress 6.4.2">'
        chrome_top = (
            f'<header class="site-header"><div class="site-branding">{escape(site.company)}</div>'
            f'<nav class="main-navigation"><ul>{links}</ul></nav></header>'
        )
        chrome_bottom = WP_FOOTER + WP_COOKIE_BANNER
    else:
        chrome_top = f'<nav class="topnav"><ul>{links}</ul></nav>'
        chrome_bottom = (
            f'<footer><p>&copy; 2024 {escape(site.company)}. All rights reserved.</p></footer>'
        )
    contact = ""
    if path == "/contact":
        contact = f'<div class="contact-details">{"".join(site.contact_extra)}</div>'
    return (
        f'<!DOCTYPE html><html lang="{site.lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title>{head_extra}</head><body>{chrome_top}"
        f"<main><h1>{escape(site.company)}</h1>{paragraphs}{''.join(site.body_extra)}{contact}</main>"
        f"{chrome_bottom}</body></html>"
    )


def render_site(site: LabSite) -> dict[str, str]:
    """Paths to HTML documents for one site."""
    if site.fault == "binary_html":
        return {"/": "<html><head><title>Bin\x00ary</title></head><body><p>Shenzhen "
                     "\x00\x01\x02<<<div><p<b>>\ufffd\x7f</i></table>" + "\x03\x04 data " * 200,
                "/about": "<<<<>>>>\x00" * 100}
    templated = template_pages(site)
    if templated:
        return templated
    return operator_pages(site)


def operator_pages(site: LabSite) -> dict[str, str]:
    """The pages the operator served (for a parked or seized site: before the takedown,
    as the lab's web archive captured them)."""
    s = site.sentences
    third = max(1, len(s) // 3)
    return {
        "/": _page(site, "/", s[:third]),
        "/about": _page(site, "/about", s[third : 2 * third]),
        "/services": _page(site, "/services", s[2 * third :]),
        "/contact": _page(site, "/contact", s[:2]),
    }
