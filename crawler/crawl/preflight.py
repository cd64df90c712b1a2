"""Before a crawl: do the proxy, name servers, WHOIS server and RDAP service given answer?

A wrong ``--proxy`` or ``--nameserver`` otherwise shows up as every site failing
(``dns_error``, ``unreachable``), which reads as a fact about the sites. Each server given
is asked once, as cheaply as it can be: a TCP connection to the proxy, the WHOIS server and
the RDAP service (directly when it is on loopback, else the proxy carries it), and one DNS
question to each name server, where any answer, even NXDOMAIN or REFUSED, proves it is
one. Nothing is checked for the system's own resolver and registries.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import dns.exception
import dns.message
import dns.query

from crawler.crawl.address_policy import on_loopback

PREFLIGHT_SECONDS = 5.0


class PreflightError(RuntimeError):
    """A server given on the command line does not answer; no run is made."""


def _connect(what: str, host: str, port: int, timeout: float) -> None:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except TimeoutError:
        raise PreflightError(f"{what} {host}:{port} does not answer (no connection within"
                             f" {timeout:g} s); no run was made") from None
    except OSError as exc:
        raise PreflightError(f"{what} {host}:{port} does not answer"
                             f" ({exc.strerror or exc}); no run was made") from None


def _ask_dns(host: str, port: int, timeout: float) -> None:
    question = dns.message.make_query(".", "NS")
    try:
        dns.query.udp(question, host, port=port, timeout=timeout)
    except dns.exception.Timeout:
        raise PreflightError(f"--nameserver {host}:{port} does not answer DNS questions"
                             f" (no answer within {timeout:g} s); no run was made") from None
    except (OSError, dns.exception.DNSException) as exc:
        raise PreflightError(f"--nameserver {host}:{port} does not answer DNS questions"
                             f" ({exc}); no run was made") from None


def check_servers(proxy: str | None, nameservers: list[tuple[str, int]],
                  whois_server: tuple[str, int] | None, rdap_url: str | None,
                  timeout: float) -> None:
    """Raise PreflightError naming the first server given that does not answer."""
    timeout = min(timeout, PREFLIGHT_SECONDS)
    if proxy:
        parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        try:
            port = parts.port or 8080
        except ValueError:
            raise PreflightError(f"--proxy {proxy!r} has no valid port") from None
        if not parts.hostname:
            raise PreflightError(f"--proxy {proxy!r} names no host")
        _connect("--proxy", parts.hostname, port, timeout)
    for host, port in nameservers:
        _ask_dns(host, port, timeout)
    if whois_server:
        _connect("--whois-server", *whois_server, timeout)
    if rdap_url:
        parts = urlsplit(rdap_url)
        host = parts.hostname or ""
        if not proxy or on_loopback(host):  # else the proxy, checked above, carries it
            try:
                port = parts.port or (443 if parts.scheme == "https" else 80)
            except ValueError:
                raise PreflightError(f"--rdap-url {rdap_url!r} has no valid port") from None
            _connect("--rdap-url", host, port, timeout)
