"""Reverse DNS names of the site's addresses. Weak; shared-hosting names are common by rarity."""

from analysis.evidence.kinds import ValueKind, register, values_of

register(ValueKind(
    name="ptr",
    reads=("ptr",),
    label="same reverse DNS name",
    values=values_of("ptr"),
))
