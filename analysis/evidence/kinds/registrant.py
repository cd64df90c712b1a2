"""Registrant name plus organisation, both present and neither a privacy service."""

from analysis.commons import is_privacy_value
from analysis.evidence.kinds import ValueKind, register


def _values(site):
    name, org = site.first("registrant_name"), site.first("registrant_org")
    if not name or not org:
        return []
    return [f"{name.strip()} / {org.strip()}"]


register(ValueKind(
    name="registrant",
    reads=("registrant_name", "registrant_org"),
    label="same registrant name and organisation",
    values=_values,
    common=lambda v: "privacy-service registrant (commons list)" if is_privacy_value(v) else None,
))
