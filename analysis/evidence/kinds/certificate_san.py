"""A certificate that names another site: each site shares its own domain with every
certificate whose SANs name it. Certificates naming many domains (shared hosting, CDN) are
left out by ``max_names`` in evidence.toml, applied when features are made."""

from analysis.evidence.kinds import ValueKind, register


def _values(site):
    return [site.domain, *[d for d in site.all("cert_san_domains") if d != site.domain]]


register(ValueKind(
    name="certificate_san",
    reads=("cert_san_domains",),
    label="certificate names the site",
    values=_values,
))
