"""Redirects: a site whose start page redirects into another shares that site's domain."""

from analysis.evidence.kinds import ValueKind, register


def _values(site):
    target = site.first("redirects_to")
    # The target itself carries its own domain, so that it links to the sites sending to it.
    return [target] if target else [site.domain]


register(ValueKind(
    name="redirect",
    reads=("redirects_to",),
    label="redirects into the same site",
    values=_values,
))
