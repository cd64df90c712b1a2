"""Postal addresses marked up on pages (schema.org JSON-LD or microdata, microformat adr).

The value is the building: street, locality, postal code and country, with suite, room,
floor and unit removed, so fronts in adjacent rooms of one building share it (as SentinelLabs
found). Registered-agent and virtual-office buildings used by many become commons by rarity.
"""

from __future__ import annotations

import re

from analysis.evidence.kinds import ValueKind, register, values_of
from analysis.page import PageContext

_UNIT = re.compile(
    r"(?:,|\s)\s*(?:suite|ste\.?|room|rm\.?|unit|floor|fl\.?|office|apt\.?|#)\s*[\w-]+\b"
    r"|\b\d+(?:st|nd|rd|th)\s+floor\b|\b[\w-]+室|\b\d+层|\b\d+楼",
    re.I,
)
_FIELDS = ("streetAddress", "addressLocality", "postalCode", "addressCountry")
_MICRO = {"streetAddress": ".street-address, .p-street-address",
          "addressLocality": ".locality, .p-locality",
          "postalCode": ".postal-code, .p-postal-code",
          "addressCountry": ".country-name, .p-country-name"}


def building(parts: dict[str, str]) -> str | None:
    """The normalised building of an address, or None when it has no street."""
    street = parts.get("streetAddress") or ""
    if not street.strip():
        return None
    street = _UNIT.sub("", street)
    norm = []
    for key in _FIELDS:
        value = (parts.get(key) or "") if key != "streetAddress" else street
        if isinstance(value, dict):
            value = value.get("name", "")
        norm.append(re.sub(r"[^\w]+", " ", str(value).lower()).strip())
    return " | ".join(norm)


def addresses(page: PageContext) -> list[str]:
    found: dict[str, None] = {}
    for obj in page.json_ld:
        if obj.get("@type") == "PostalAddress" or "streetAddress" in obj:
            b = building({k: obj.get(k) or "" for k in _FIELDS})
            if b:
                found.setdefault(b, None)
    for node in page.tree.css('[itemtype*="PostalAddress"], .adr, .h-adr'):
        parts = {}
        for key in _FIELDS:
            child = node.css_first(f'[itemprop="{key}"]') or node.css_first(_MICRO[key])
            parts[key] = child.text(strip=True) if child else ""
        b = building(parts)
        if b:
            found.setdefault(b, None)
    return list(found)


register(ValueKind(
    name="postal_address",
    label="same building in the marked-up postal address",
    values=values_of("postal_addresses"),
    feature="postal_addresses",
    page_values=addresses,
))
