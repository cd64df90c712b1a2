"""Mail exchangers of the operator's own. Forwarding and hosted-mail providers are commons by
list; a mail server in the site's name servers' own domain is the DNS host's (by rule)."""

from analysis.commons import is_provider_mail
from analysis.dns_host import dns_host_default
from analysis.evidence.kinds import ValueKind, register, values_of

register(ValueKind(
    name="mx",
    reads=("mx",),
    label="same mail server",
    values=values_of("mx"),
    common=lambda v: "mail provider (commons list)" if is_provider_mail(v) else None,
    default_for=dns_host_default,
))
