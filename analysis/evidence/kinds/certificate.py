"""The same TLS certificate (SHA-256 of its DER) presented by several sites. A certificate
naming more registrable domains than ``max_names`` (shared hosting, a CDN) is no evidence."""

from analysis.evidence.kinds import ValueKind, register


def _values(site):
    if site.first("cert_shared_hosting"):
        return []
    return site.all("cert_sha256")


register(ValueKind(
    name="certificate",
    reads=("cert_sha256", "cert_shared_hosting"),
    label="same TLS certificate",
    values=_values,
))
