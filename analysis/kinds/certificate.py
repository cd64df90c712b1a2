"""The same TLS certificate (SHA-256 of its DER) presented by several sites."""

from analysis.kinds import ValueKind, register

register(ValueKind(
    name="certificate",
    label="same TLS certificate",
    values=lambda site: site.all("cert_sha256"),
))
