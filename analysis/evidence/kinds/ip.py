"""IP addresses the site resolves to; mass-hosting addresses become commons by rarity."""

from analysis.evidence.kinds import ValueKind, register

register(ValueKind(
    name="ip",
    reads=("ips",),
    label="same IP address",
    values=lambda site: site.all("ips"),
))
