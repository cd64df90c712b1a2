"""Phone numbers on pages, normalised to E.164 with phonenumbers."""

from __future__ import annotations

import phonenumbers

from analysis.kinds import ValueKind, register, values_of
from analysis.page import PageContext

# Numbers written without a country code are read as this region's.
DEFAULT_REGION = "US"


def phones(page: PageContext) -> list[str]:
    found: dict[str, None] = {}
    candidates = [h[4:] for h in page.hrefs() if h.lower().startswith("tel:")]
    for raw in candidates:
        try:
            number = phonenumbers.parse(raw, DEFAULT_REGION)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            found.setdefault(phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.E164), None)
    for match in phonenumbers.PhoneNumberMatcher(page.body_text[:100_000], DEFAULT_REGION,
                                                 leniency=phonenumbers.Leniency.VALID,
                                                 max_tries=200):
        found.setdefault(phonenumbers.format_number(
            match.number, phonenumbers.PhoneNumberFormat.E164), None)
    return list(found)


register(ValueKind(
    name="phone",
    label="same phone number on the sites",
    values=values_of("phones"),
    feature="phones",
    page_values=phones,
))
