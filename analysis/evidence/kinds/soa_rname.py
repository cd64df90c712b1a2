"""SOA RNAME: the zone administrator's mailbox.

A DNS provider's default is a common: by the shipped list, and by rule when the mailbox is
in the site's name servers' own domain (hostmaster.<dns-host>.net: the host's zone
template, shared by all its customers; analysis/dns_host.py).
"""

from analysis.commons import is_provider_nameserver
from analysis.dns_host import dns_host_default
from analysis.evidence.kinds import ValueKind, register, values_of


def _common(value: str) -> str | None:
    host = value.split(".", 1)[1] if "." in value else value
    if is_provider_nameserver(host) or is_provider_nameserver("ns." + host):
        return "DNS provider's default SOA mailbox (commons list)"
    return None


register(ValueKind(
    name="soa_rname",
    reads=("soa_rname",),
    label="same DNS zone administrator (SOA RNAME)",
    values=values_of("soa_rname"),
    common=_common,
    default_for=dns_host_default,
))
