"""E-mail addresses on pages, including `name [at] domain [dot] com` forms.

A generic role mailbox at the site's own domain (info@, sales@, ...) says nothing about the
operator and never links; the same mailbox of another site's domain does.
"""

from __future__ import annotations

import re

from analysis.commons import commons
from analysis.evidence.kinds import ValueKind, register
from analysis.page import PageContext

_EMAIL = re.compile(r"\b[\w.+-]{1,64}@(?:[a-z0-9-]{1,63}\.)+[a-z]{2,24}\b", re.I)
_OPEN, _CLOSE = r"\s*[\[\(\{<]\s*", r"\s*[\]\)\}>]\s*"
_OBFUSCATED = re.compile(
    rf"\b([\w.+-]{{1,64}}){_OPEN}at{_CLOSE}((?:[a-z0-9-]{{1,63}}(?:{_OPEN}dot{_CLOSE}|\.))+"
    r"[a-z]{2,24})\b",
    re.I,
)
_DOT = re.compile(rf"{_OPEN}dot{_CLOSE}", re.I)
_ASSET_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".css", ".js")


def emails(page: PageContext) -> list[str]:
    found: dict[str, None] = {}
    for href in page.hrefs():
        if href.lower().startswith("mailto:"):
            for addr in href[7:].split("?", 1)[0].split(","):
                if _EMAIL.fullmatch(addr.strip()):
                    found.setdefault(addr.strip().lower(), None)
    text = page.body_text
    for m in _EMAIL.finditer(text):
        found.setdefault(m.group(0).lower(), None)
    for m in _OBFUSCATED.finditer(text):
        found.setdefault(f"{m.group(1)}@{_DOT.sub('.', m.group(2))}".lower(), None)
    return [e for e in found if not e.endswith(_ASSET_SUFFIXES)]


def is_role_at(email: str, domain: str) -> bool:
    local, _, host = email.partition("@")
    own = host == domain or host.endswith("." + domain)
    return own and local in commons()["email"]["role_mailboxes"]


def _values(site) -> list[str]:
    return [e for e in site.all("emails") if not is_role_at(e, site.domain)]


register(ValueKind(
    name="email",
    label="same e-mail address on the sites",
    values=_values,
    feature="emails",
    page_values=emails,
))
