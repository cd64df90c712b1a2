"""The registrar: weak, it only corroborates other evidence."""

from analysis.evidence.kinds import ValueKind, register

register(ValueKind(
    name="registrar",
    reads=("registrar",),
    label="same registrar",
    values=lambda site: [r.strip() for r in site.all("registrar")],
))
