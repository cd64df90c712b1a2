"""Registrant e-mail from WHOIS/RDAP; privacy-service addresses are commons."""

from analysis.commons import is_privacy_value
from analysis.evidence.kinds import ValueKind, register

register(ValueKind(
    name="registrant_email",
    reads=("registrant_email",),
    label="same registrant e-mail",
    values=lambda site: [e.lower() for e in site.all("registrant_email")],
    common=lambda v: "privacy-service e-mail (commons list)" if is_privacy_value(v) else None,
))
