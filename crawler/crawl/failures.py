"""Turn a failed request into a site status and a one-line message (SPEC §5)."""

from __future__ import annotations

from OpenSSL import SSL
from scrapy import exceptions as sx
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

DNS_FAILURES = (neterr.DNSLookupError, sx.CannotResolveHostError)
TIMEOUTS = (neterr.TimeoutError, neterr.TCPTimedOutError, defer.TimeoutError,
            sx.DownloadTimeoutError)
CONNECTION_FAILURES = (
    TunnelError, neterr.ConnectionRefusedError, neterr.ConnectError, neterr.ConnectionLost,
    neterr.ConnectionDone, ResponseNeverReceived, ResponseFailed, SSL.Error,
    sx.DownloadConnectionRefusedError, sx.DownloadFailedError, sx.ResponseDataLossError,
)
# Retried once: connection failures. Not retried: timeouts (a tarpit would cost the timeout
# once more for each retry) and blocked addresses.
RETRY_EXCEPTIONS = [
    sx.DownloadConnectionRefusedError, sx.DownloadFailedError, sx.ResponseDataLossError,
    neterr.ConnectionDone, neterr.ConnectError, neterr.ConnectionLost, TunnelError,
]


_PLAIN = {
    sx.ResponseDataLossError: "the connection ended before the whole response arrived",
    sx.DownloadConnectionRefusedError: "connection refused",
}


def _message(failure: Failure) -> str:
    value = failure.value
    reasons = getattr(value, "reasons", None)
    detail = str(value) if str(value) and str(value) != type(value).__name__ else ""
    detail = detail or _PLAIN.get(type(value), type(value).__name__)
    if reasons:
        detail = "; ".join(r.getErrorMessage() for r in reasons) or detail
    return f"{type(value).__name__}: {detail}"[:300]


def classify(failure: Failure) -> tuple[str, str]:
    """(status, message) for a request that got no response."""
    message = _message(failure)
    if failure.check(*DNS_FAILURES):
        return ("blocked" if "non-public address" in message else "dns_error"), message
    if failure.check(*TIMEOUTS):
        return "timeout", message
    if failure.check(*CONNECTION_FAILURES):
        return "unreachable", message
    if failure.check(sx.IgnoreRequest):
        low = message.lower()
        if "robots.txt" in low:
            return "error", "forbidden by robots.txt (--robots ignore crawls it anyway)"
        if "max redirections" in low:
            return "http_error", "redirect loop: more than 10 redirects without a page"
        if "blocked" in low:
            return "blocked", message
        if "size" in low or "decompress" in low:
            return "error", f"response too large after decompression: {message}"
    if failure.check(sx.DownloadCancelledError, defer.CancelledError):
        return "error", f"response larger than the size cap: {message}"
    return "error", message


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
