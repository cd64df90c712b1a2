"""Site-verification tokens (Google, Bing, Yandex, Facebook, ...) in DNS TXT or page meta tags.

A token is issued to one account: the same token on two domains is one owner.
"""

from __future__ import annotations

import re

from analysis.evidence.kinds import ValueKind, register
from analysis.page import PageContext

TXT_PREFIXES = {
    "google-site-verification=": "google", "facebook-domain-verification=": "facebook",
    "ms=": "microsoft", "yandex-verification:": "yandex", "yandex-verification=": "yandex",
    "apple-domain-verification=": "apple", "atlassian-domain-verification=": "atlassian",
    "adobe-idp-site-verification=": "adobe", "docusign=": "docusign",
    "globalsign-domain-verification=": "globalsign", "zoom-domain-verification": "zoom",
    "baidu-site-verification=": "baidu", "openai-domain-verification=": "openai",
    "stripe-verification=": "stripe", "hubspot-developer-verification=": "hubspot",
}
META_NAMES = {
    "google-site-verification": "google", "msvalidate.01": "microsoft",
    "yandex-verification": "yandex", "facebook-domain-verification": "facebook",
    "baidu-site-verification": "baidu", "p:domain_verify": "pinterest",
    "norton-safeweb-site-verification": "norton",
}
_TOKEN = re.compile(r"^[\w.=+/-]{6,200}$")


def from_txt(records: list[str]) -> list[str]:
    out = []
    for record in records:
        low = record.strip().lower()
        for prefix, service in TXT_PREFIXES.items():
            if low.startswith(prefix):
                token = record.strip()[len(prefix):].strip()
                if _TOKEN.match(token):
                    out.append(f"{service}:{token}")
    return out


def from_meta(page: PageContext) -> list[str]:
    out = []
    for node in page.tree.css("meta[name][content]"):
        service = META_NAMES.get((node.attributes.get("name") or "").lower())
        token = (node.attributes.get("content") or "").strip()
        if service and _TOKEN.match(token):
            out.append(f"{service}:{token}")
    return out


def _values(site) -> list[str]:
    return list(dict.fromkeys(site.all("verification") + from_txt(site.all("txt"))))


register(ValueKind(
    name="site_verification",
    reads=("verification", "txt"),
    label="same site-verification token",
    values=_values,
    feature="verification",
    page_values=from_meta,
))
