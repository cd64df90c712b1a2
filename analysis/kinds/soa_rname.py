"""SOA RNAME: the zone administrator's mailbox. A DNS provider's default is a common."""

from analysis.commons import is_provider_nameserver
from analysis.kinds import ValueKind, register, values_of


def _common(value: str) -> str | None:
    host = value.split(".", 1)[1] if "." in value else value
    if is_provider_nameserver(host) or is_provider_nameserver("ns." + host):
        return "DNS provider's default SOA mailbox (commons list)"
    return None


register(ValueKind(
    name="soa_rname",
    label="same DNS zone administrator (SOA RNAME)",
    values=values_of("soa_rname"),
    common=_common,
))
