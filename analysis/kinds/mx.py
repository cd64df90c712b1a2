"""Mail exchangers of the operator's own; forwarding and hosted-mail providers are commons."""

from analysis.commons import is_provider_mail
from analysis.kinds import ValueKind, register, values_of

register(ValueKind(
    name="mx",
    label="same mail server",
    values=values_of("mx"),
    common=lambda v: "mail provider (commons list)" if is_provider_mail(v) else None,
))
