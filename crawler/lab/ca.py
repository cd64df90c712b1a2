"""The lab certificate authority: one CA, and leaf certificates with chosen SANs.

Keys are Ed25519, derived from the world's seed, and Ed25519 signatures are deterministic,
so every lab server of one world (week 1 and week 2 of it, say) presents byte-identical
certificates: a certificate changes only where the world changes it.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.x509.oid import NameOID

_NOT_BEFORE = datetime(2024, 1, 1, tzinfo=UTC)


def _name(common_name: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
        ]
    )


class LabCA:
    """A throw-away CA whose keys live only in memory and in the lab's temporary folder."""

    def __init__(self, seed: int = 1) -> None:
        self.seed = seed
        self.key = self._key("ca")
        self.name = _name("facade Lab Root CA", "facade lab")
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(self.name)
            .issuer_name(self.name)
            .public_key(self.key.public_key())
            .serial_number(self._serial("ca"))
            .not_valid_before(_NOT_BEFORE)
            .not_valid_after(_NOT_BEFORE + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(self.key, None)
        )

    def _digest(self, label: str) -> bytes:
        return hashlib.sha256(f"facade-lab-ca|{self.seed}|{label}".encode()).digest()

    def _key(self, label: str) -> ed25519.Ed25519PrivateKey:
        return ed25519.Ed25519PrivateKey.from_private_bytes(self._digest(label))

    def _serial(self, label: str) -> int:
        return int.from_bytes(self._digest("serial|" + label)[:16], "big") >> 1

    def issue(self, sans: list[str], folder: Path, stem: str) -> tuple[Path, Path]:
        """Issue a leaf certificate for ``sans``; write chain and key as PEM; return their paths."""
        label = ",".join(sans)
        key = self._key(label)
        cert = (
            x509.CertificateBuilder()
            .subject_name(_name(sans[0], "facade lab site"))
            .issuer_name(self.name)
            .public_key(key.public_key())
            .serial_number(self._serial(label))
            .not_valid_before(_NOT_BEFORE)
            .not_valid_after(_NOT_BEFORE + timedelta(days=825))
            .add_extension(
                x509.SubjectAlternativeName([x509.DNSName(n) for n in sans]), critical=False
            )
            .sign(self.key, None)
        )
        cert_path, key_path = folder / f"{stem}.crt", folder / f"{stem}.key"
        cert_path.write_bytes(
            cert.public_bytes(serialization.Encoding.PEM)
            + self.cert.public_bytes(serialization.Encoding.PEM)
        )
        key_path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
        return cert_path, key_path
