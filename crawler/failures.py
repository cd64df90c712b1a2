"""Turn a failed request into a site status and a one-line message (SPEC §5)."""

from __future__ import annotations

from OpenSSL import SSL
from scrapy.core.downloader.handlers.http11 import TunnelError
from twisted.internet import defer
from twisted.internet import error as neterr
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

# Squid's error names (the lab proxy speaks them too) for a proxy's own 502/503/504 answers.
SQUID_ERRORS = {
    "ERR_DNS_FAIL": "dns_error",
    "ERR_CONNECT_FAIL": "unreachable",
    "ERR_CONNECT_TIMEOUT": "timeout",
    "ERR_READ_TIMEOUT": "timeout",
    "ERR_ZERO_SIZE_OBJECT": "unreachable",
}

CONNECTION_FAILURES = (
    TunnelError, neterr.ConnectionRefusedError, neterr.ConnectError, neterr.ConnectionLost,
    neterr.ConnectionDone, ResponseNeverReceived, ResponseFailed, SSL.Error,
)
TIMEOUTS = (neterr.TimeoutError, neterr.TCPTimedOutError, defer.TimeoutError)


def _message(failure: Failure) -> str:
    value = failure.value
    reasons = getattr(value, "reasons", None)
    detail = str(value) or type(value).__name__
    if reasons:
        detail = "; ".join(r.getErrorMessage() for r in reasons) or detail
    return f"{type(value).__name__}: {detail}"[:300]


def classify(failure: Failure) -> tuple[str, str]:
    """(status, message) for a request that got no response."""
    if failure.check(neterr.DNSLookupError):
        status = "blocked" if "blocked" in str(failure.value) else "dns_error"
        return status, _message(failure)
    if failure.check(*TIMEOUTS):
        return "timeout", _message(failure)
    if failure.check(*CONNECTION_FAILURES):
        return "unreachable", _message(failure)
    return "error", _message(failure)  # IgnoreRequest, a cancelled download, anything else


def is_connection_failure(failure: Failure) -> bool:
    """A failure after which an https start page falls back to http."""
    return bool(failure.check(*CONNECTION_FAILURES, *TIMEOUTS))


def squid_error(headers) -> tuple[str, str] | None:
    """(status, message) when a response is a proxy's own error page."""
    raw = headers.get(b"X-Squid-Error")
    if not raw:
        return None
    name = raw.decode("latin-1").split()[0]
    return SQUID_ERRORS.get(name, "error"), f"proxy: {raw.decode('latin-1')}"
