"""Phone numbers a page presents as the site's phone, normalised to E.164 (phonenumbers).

Read only where a page presents a phone: `tel:` links, schema.org `telephone` (JSON-LD or
microdata), and numbers right after a label ("Phone:", "Tel", "Call us", "WhatsApp",
"电话", "Телефон", ...). Numbers anywhere in the text are not read: dates, ranges, order
numbers and IDs look like phones to a matcher.

A number written without a country code is read in the site's region: its country-code
top-level domain, else the region of its declared language (`lang="pt-BR"`), else the
country of a postal address on the page. With none of them, only numbers written with a
country code count (a Brazilian local number is never read as a US one).
"""

from __future__ import annotations

import re

import phonenumbers

from analysis.evidence.kinds import ValueKind, register, values_of
from analysis.page import PageContext

_LABEL = re.compile(
    r"(?:\b(?:phone|telephone|tel|call(?:\s+us)?|mobile|mob|cell|whats\s?app|fax|hotline|"
    r"téléphone|tél|telefon|teléfono|telefone|telefono|fone|тел|телефон)\b\.?|"
    r"电话|電話|手机|联系电话|전화)\s*[:：]?\s*",
    re.I,
)
_WINDOW = 40
_DATE = re.compile(r"\b\d{1,4}[./]\d{1,2}[./]\d{2,4}\b|\b\d{1,2}:\d{2}\b")
_CC_REGION = {"uk": "GB"}
_SUPPORTED = phonenumbers.SUPPORTED_REGIONS


def site_region(page: PageContext) -> str | None:
    """The region a national number on this site is written in, or None when unknown."""
    tld = page.site.rsplit(".", 1)[-1].lower()
    region = _CC_REGION.get(tld, tld.upper())
    if len(tld) == 2 and region in _SUPPORTED:
        return region
    node = page.tree.css_first("html")
    declared = (node.attributes.get("lang") or "") if node else ""
    parts = declared.replace("_", "-").split("-")
    if len(parts) >= 2 and parts[1].upper() in _SUPPORTED:
        return parts[1].upper()
    for obj in page.json_ld:
        country = obj.get("addressCountry")
        if isinstance(country, str) and country.upper() in _SUPPORTED:
            return country.upper()
    return None


def _e164(raw: str, region: str | None) -> str | None:
    if _DATE.search(raw):
        return None
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _presented(page: PageContext) -> list[str]:
    """Raw strings the page presents as phone numbers."""
    raw = [h[4:] for h in page.hrefs() if h.lower().startswith("tel:")]
    for obj in page.json_ld:
        value = obj.get("telephone")
        raw += [value] if isinstance(value, str) else []
    for node in page.tree.css("[itemprop=telephone]"):
        raw.append(node.attributes.get("content") or node.text() or "")
    return raw


def phones(page: PageContext) -> list[str]:
    region = site_region(page)
    found: dict[str, None] = {}
    for raw in _presented(page):
        number = _e164(raw, region)
        if number:
            found.setdefault(number, None)
    text = page.body_text[:200_000]
    for label in _LABEL.finditer(text):
        window = text[label.end(): label.end() + _WINDOW]
        for match in phonenumbers.PhoneNumberMatcher(window, region or "ZZ",
                                                     leniency=phonenumbers.Leniency.VALID,
                                                     max_tries=5):
            if match.start > 3:  # the number must follow its label
                break
            number = _e164(match.raw_string, region)
            if number:
                found.setdefault(number, None)
    return list(found)


register(ValueKind(
    name="phone",
    label="same phone number on the sites",
    values=values_of("phones"),
    feature="phones",
    page_values=phones,
))
