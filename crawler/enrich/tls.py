"""The certificate a site presents, fetched directly or through the crawl's HTTP proxy."""

from __future__ import annotations

import hashlib
import socket
import ssl
from functools import lru_cache
from urllib.parse import urlsplit

from cryptography import x509


class TLSFailure(Exception):
    """No certificate could be had; the message says why."""


@lru_cache(maxsize=1)
def _client_context() -> ssl.SSLContext:
    """One context for every fetch: we record certificates, we do not verify them, so the
    system CA store (costly to load: ~19 ms of CPU a site when made per fetch) is never read."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def _tunnel(proxy: str, host: str, timeout: float) -> socket.socket:
    parts = urlsplit(proxy)
    sock = socket.create_connection((parts.hostname, parts.port or 8080), timeout=timeout)
    sock.sendall(f"CONNECT {host}:443 HTTP/1.1\r\nHost: {host}:443\r\n\r\n".encode())
    head = b""
    while b"\r\n\r\n" not in head and len(head) < 65536:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    status = head.split(b"\r\n", 1)[0].decode("latin-1")
    if " 200 " not in status + " ":
        sock.close()
        raise TLSFailure(f"proxy refused the tunnel: {status or 'no answer'}")
    return sock


def fetch_certificate(host: str, proxy: str | None, timeout: float) -> dict:
    """SHA-256, subject, issuer, SANs and validity of the certificate ``host`` presents."""
    ctx = _client_context()
    try:
        raw = _tunnel(proxy, host, timeout) if proxy else socket.create_connection(
            (host, 443), timeout=timeout
        )
        with ctx.wrap_socket(raw, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
    except TLSFailure:
        raise
    except (OSError, ssl.SSLError) as exc:
        raise TLSFailure(f"TLS to {host}: {exc}") from None
    if not der:
        raise TLSFailure(f"TLS to {host}: no certificate presented")
    return describe(der)


def describe(der: bytes) -> dict:
    cert = x509.load_der_x509_certificate(der)
    try:
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
        names = sorted({n.lower() for n in sans.value.get_values_for_type(x509.DNSName)})
    except x509.ExtensionNotFound:
        names = []
    return {
        "sha256": hashlib.sha256(der).hexdigest(),
        "subject": cert.subject.rfc4514_string(),
        "issuer": cert.issuer.rfc4514_string(),
        "serial": format(cert.serial_number, "x"),
        "sans": names,
        "not_before": cert.not_valid_before_utc.isoformat(),
        "not_after": cert.not_valid_after_utc.isoformat(),
    }
