"""The set of a site's own name servers; registrar and DNS-host defaults are commons."""

from analysis.commons import is_provider_nameserver
from analysis.evidence.kinds import ValueKind, register


def _values(site):
    own = sorted({ns for ns in site.all("nameservers") if not is_provider_nameserver(ns)})
    return [" ".join(own)] if own else []


register(ValueKind(
    name="nameservers",
    reads=("nameservers",),
    label="same dedicated name servers",
    values=_values,
))
