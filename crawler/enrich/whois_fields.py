"""Registration fields from a domain WHOIS answer, read under every key python-whois uses.

python-whois has one parser class per TLD, and they name the same field differently: the
registrant's name is ``registrant_name`` under .io, ``name`` under .com, ``person`` under
.ru; the organisation ``registrant_organization``, ``registrant_org`` or ``org``. Each
facade field takes the first of its keys that has a value. A value that fails to parse (a
date in a format python-whois does not know) loses that value, never the record, and name
servers are kept as host names only (registries append glue addresses, or give one block).

Example:
    >>> host_names(["ns1.yandex.ru. 213.180.193.1, 2a02:6b8::1", "NS2.EXAMPLE.COM"])
    ['ns1.yandex.ru', 'ns2.example.com']
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import whois.parser as whois_parser
from dateutil import parser as date_parser

# facade field -> python-whois keys, in order of preference.
KEYS: dict[str, tuple[str, ...]] = {
    "registrar": ("registrar", "registrar_name", "sponsoring_registrar"),
    "creation_date": ("creation_date", "created", "registered"),
    "expiration_date": ("expiration_date", "expires", "paid_till", "free_date"),
    "registrant_name": ("registrant_name", "registrant", "name", "person", "owner"),
    "registrant_org": ("registrant_organization", "registrant_org", "org", "organization",
                       "owner_organization"),
    "registrant_email": ("registrant_email",),
    "registrant_country": ("registrant_country", "registrant_country_code", "country",
                           "country_code"),
}
_HOST = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+"
                   r"[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_REGISTRANT_EMAIL = re.compile(r"^\s*Registrant\s+E-?mail:\s*(\S+)", re.I | re.M)
_ICANN = re.compile(r"^\s*(?:Registry Domain ID|Registrar IANA ID):", re.I | re.M)
_TZ_NOTE = re.compile(r"\((?:GMT|UTC)?[^)]*\)|\b(?:GMT|UTC)\b", re.I)


def _lenient_preprocess(original):
    """python-whois's value preprocessing, where a date it cannot read is read by dateutil
    without its time-zone note, or else dropped (None), instead of failing the record."""

    def preprocess(self, attr, value):
        try:
            return original(self, attr, value)
        except (whois_parser.WhoisUnknownDateFormatError, ValueError, OverflowError):
            try:
                return date_parser.parse(_TZ_NOTE.sub(" ", value), fuzzy=True,
                                         dayfirst=self.dayfirst).replace(tzinfo=UTC)
            except (ValueError, OverflowError):
                return None

    return preprocess


if not getattr(whois_parser.WhoisEntry._preprocess, "_facade_lenient", False):
    whois_parser.WhoisEntry._preprocess = _lenient_preprocess(
        whois_parser.WhoisEntry._preprocess)
    whois_parser.WhoisEntry._preprocess._facade_lenient = True


def _values(entry, key: str) -> list:
    value = entry.get(key)
    if value is None:
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if v not in (None, "")]


def _date(value) -> str | None:
    if isinstance(value, datetime):
        return value.isoformat()
    return None  # text python-whois could not read as a date is no date


def host_names(values) -> list[str]:
    """Name servers as host names: glue addresses, trailing dots and blocks of several
    names in one value are split off."""
    out = set()
    for value in values if isinstance(values, list) else [values]:
        for token in re.split(r"[\s,;]+", str(value or "").lower()):
            token = token.strip().rstrip(".")
            if _HOST.match(token):
                out.add(token)
    return sorted(out)


def registration_fields(entry, text: str) -> dict:
    """facade's registration fields from a python-whois entry and the answer's text; a
    field the TLD's parser lacks is read by python-whois's generic parser for ICANN's
    format, which many ccTLD registries have moved to since their parser was written."""
    fields = _fields(entry, text)
    if not _ICANN.search(text) and all(fields.values()):
        return fields
    try:
        generic = _fields(whois_parser.WhoisEntry(getattr(entry, "domain", ""), text), text)
    except Exception:  # noqa: BLE001 - the generic reading is a bonus, never a failure
        return fields
    # An answer in ICANN's format is read by the parser for that format first: some TLD
    # parsers misread it (python-whois's .io parser takes the organisation for the name).
    first, then = (generic, fields) if _ICANN.search(text) else (fields, generic)
    return {field: first[field] or then[field] for field in fields}


def _fields(entry, text: str) -> dict:
    fields: dict = {}
    for field, keys in KEYS.items():
        found = next((v for k in keys for v in _values(entry, k)), None)
        if field.endswith("_date"):
            found = next((_date(v) for k in keys for v in _values(entry, k) if _date(v)), None)
        elif isinstance(found, str):
            found = " ".join(found.split()) or None
        elif found is not None:
            found = str(found)
        fields[field] = found
    email = fields["registrant_email"]
    if not email:
        match = _REGISTRANT_EMAIL.search(text)
        email = match.group(1) if match else None
    email = (email or "").lower()
    fields["registrant_email"] = email if _EMAIL.fullmatch(email) else None
    fields["name_servers"] = host_names(_values(entry, "name_servers"))
    return fields
