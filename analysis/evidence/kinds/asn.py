"""The network (ASN) hosting the site. Very weak: providers host many unrelated customers."""

from analysis.evidence.kinds import ValueKind, register, values_of

register(ValueKind(
    name="asn",
    reads=("asn",),
    label="same hosting network (ASN)",
    values=values_of("asn"),
))
