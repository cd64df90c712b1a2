"""RDAP (RFC 9083) lookups of domains and addresses, parsed to the same fields as WHOIS.

Domains go to the registry named by IANA's bootstrap registry (fetched for each run and
kept a day; crawler/data/rdap-dns.json when that fails), or to ``--rdap-url``; addresses go
to ARIN's RDAP service, whose redirects lead to the right registry, or to ``--rdap-url``.
Requests go through ``--proxy`` unless the RDAP service is on this machine's loopback, which
no proxy could reach.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from urllib.parse import quote, urlsplit

from crawler.crawl.address_policy import on_loopback, resolved_refusal
from crawler.enrich import manners
from crawler.enrich.rdap_fields import (  # noqa: F401 - the parsers are rdap's interface
    REGISTRANT,
    RDAPFailure,
    _entities,
    _holder,
    _list,
    _vcard,
    parse_domain,
    parse_ip,
    related_links,
)

MAX_RDAP_BYTES = 1 << 20
ARIN_RDAP = "https://rdap.arin.net/registry/"


IANA_BOOTSTRAP = "https://data.iana.org/rdap/dns.json"
_current: dict[str, str] = {}  # the registry fetched for this run, when it could be


def services(data: dict) -> dict[str, str]:
    """TLD -> RDAP base URL of a bootstrap registry (RFC 9224; https preferred); raises
    RDAPFailure when ``data`` is not one."""
    out = {}
    try:
        for tlds, urls in data["services"]:
            url = next((u for u in urls if u.startswith("https://")), urls[0])
            for tld in tlds:
                out[str(tld).lower()] = url if url.endswith("/") else url + "/"
    except (KeyError, TypeError, ValueError, IndexError):
        raise RDAPFailure("not an RDAP bootstrap registry") from None
    if not out:
        raise RDAPFailure("an RDAP bootstrap registry with no services")
    return out


@lru_cache(maxsize=1)
def shipped_bootstrap() -> dict[str, str]:
    data = json.loads(resources.files("crawler").joinpath("data/rdap-dns.json").read_text())
    return services(data)


def bootstrap() -> dict[str, str]:
    """TLD -> RDAP base URL: the registry fetched for this run, else the shipped copy."""
    return _current or shipped_bootstrap()


def load_bootstrap(url: str, proxy: str | None, timeout: float, allow_private: bool,
                   cache=None) -> str | None:
    """Fetch IANA's registry (or the one at ``url``) for this run, from the lookup cache
    when a day-old copy is there; None, or why the shipped copy stands in."""
    global _current
    cached = cache.get("bootstrap", url) if cache is not None else None
    try:
        data = cached["data"] if cached else fetch(url, proxy, timeout, allow_private)
        _current = services(data)
    except RDAPFailure as exc:
        _current = {}
        return f"RDAP bootstrap {url}: {exc}; using the shipped copy"
    if cache is not None and not cached:
        cache.put("bootstrap", url, {"data": data})
    return None


def _loopback(url: str) -> bool:
    return on_loopback(urlsplit(url).hostname or "")


def fetch(url: str, proxy: str | None, timeout: float, allow_private: bool = False) -> dict:
    """GET an RDAP object, within the server's concurrency limit, backing off on HTTP 429."""
    body = fetch_bytes(url, proxy, timeout, allow_private, MAX_RDAP_BYTES)
    try:
        data = json.loads(body)
    except ValueError:
        raise RDAPFailure(f"RDAP {url}: not JSON") from None
    if not isinstance(data, dict):
        raise RDAPFailure(f"RDAP {url}: not an RDAP object")
    return data


def fetch_bytes(url: str, proxy: str | None, timeout: float, allow_private: bool,
                cap: int) -> bytes:
    """GET a registry's answer of at most ``cap`` bytes, with the same manners, proxy and
    redirect checks as RDAP."""
    return fetch_answer(url, proxy, timeout, allow_private, cap).body


@dataclass(frozen=True)
class Fetched:
    url: str  # where the answer came from, after redirects
    headers: dict[str, str]
    body: bytes


def fetch_answer(url: str, proxy: str | None, timeout: float, allow_private: bool,
                 cap: int, accept: str = "application/rdap+json", transient_retry: bool = False
                 ) -> Fetched:
    """GET ``url`` with the registries' manners (slots per server, backoff on HTTP 429);
    ``transient_retry`` also retries a 502, 503 or 504, which archives answer when busy."""
    try:
        return manners.LIMITS.call(
            f"rdap:{urlsplit(url).netloc}",
            lambda: _fetch(url, proxy, timeout, allow_private, cap, accept, transient_retry))
    except manners.RateLimited as exc:
        raise RDAPFailure(str(exc)) from None


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect within the RDAP service asked; one that leaves it (another host or
    port) only to an address the address policy allows."""

    def __init__(self, origin: str, allow_private: bool):
        super().__init__()
        self.origin, self.allow_private = origin, allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        parts = urlsplit(newurl)
        if parts.scheme not in ("http", "https"):
            raise RDAPFailure(f"RDAP redirect to {newurl[:200]!r} refused: not http(s)")
        if parts.netloc.lower() != self.origin:
            why = resolved_refusal(parts.hostname or "", self.allow_private)
            if why:
                raise RDAPFailure(f"RDAP redirect refused: {why}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(url: str, proxy: str | None, timeout: float, allow_private: bool, cap: int,
           accept: str, transient_retry: bool) -> Fetched:
    handlers: list = [_CheckedRedirects(urlsplit(url).netloc.lower(), allow_private)]
    if proxy and not _loopback(url):
        handlers.append(urllib.request.ProxyHandler({"http": proxy, "https": proxy}))
    else:
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(cap + 1)
            final, headers = response.geturl(), dict(response.headers.items())
    except urllib.error.HTTPError as exc:
        if exc.code == 429 or (transient_retry and exc.code in (502, 503, 504)):
            try:
                retry_after = float(exc.headers.get("Retry-After", ""))
            except ValueError:
                retry_after = None
            raise manners.RateLimited(f"RDAP {url}: HTTP {exc.code}", retry_after) from None
        raise RDAPFailure(f"RDAP {url}: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RDAPFailure(f"RDAP {url}: {reason}") from None
    if len(body) > cap:
        raise RDAPFailure(f"RDAP {url}: answer larger than {cap} bytes")
    return Fetched(final, headers, body)


def lookup_domain(domain: str, base_url: str | None, proxy: str | None, timeout: float,
                  allow_private: bool = False) -> dict:
    """The registry's answer, completed from the registrar's RDAP service (its related
    link) when the registry holds no registrant; ``sources`` says where each field came
    from, ``related_error`` why the registrar could not be asked."""
    base = base_url or bootstrap().get(domain.rsplit(".", 1)[-1])
    if not base:
        raise RDAPFailure(f"no RDAP service known for .{domain.rsplit('.', 1)[-1]}")
    answer = fetch(f"{base.rstrip('/')}/domain/{quote(domain)}", proxy, timeout, allow_private)
    fields = parse_domain(answer)
    sources = {k: "rdap" for k, v in fields.items() if v}
    for href in related_links(answer)[:1] if not any(fields[k] for k in REGISTRANT) else []:
        why = resolved_refusal(urlsplit(href).hostname or "", allow_private)
        try:
            if why:
                raise RDAPFailure(f"registrar RDAP {href[:200]} refused: {why}")
            registrar = parse_domain(fetch(href, proxy, timeout, allow_private))
        except RDAPFailure as exc:
            fields["related_error"] = str(exc)
            continue
        for key, value in registrar.items():
            if value and not fields.get(key):
                fields[key], sources[key] = value, "rdap-registrar"
    fields["sources"] = sources
    return fields


def _org_entity_url(obj: dict, org: str | None, asked: str) -> str | None:
    """Where the holder's organisation object is, when the answer names it by handle only:
    RIPE (a registrant entity ``ORG-...`` with no contact card) and AFRINIC (an entity whose
    name is its handle, and a network named after it)."""
    if org and not org.upper().startswith("ORG-") and any(
            _vcard(e) for e in _entities(obj, "registrant")):
        return None
    handles = [e.get("handle") for e in _list(obj, "entities") if isinstance(e, dict)
               and isinstance(e.get("handle"), str) and _holder(e) == e.get("handle")]
    handle = next((h for h in [org or "", *handles] if h.upper().startswith("ORG-")), None)
    if handle is None:
        return None
    own = next((link.get("href") for link in _list(obj, "links") if isinstance(link, dict)
                and link.get("rel") == "self" and isinstance(link.get("href"), str)), asked)
    if "/ip/" not in own:
        return None
    return f"{own.split('/ip/', 1)[0]}/entity/{quote(handle)}"


def lookup_ip(ip: str, base_url: str | None, proxy: str | None, timeout: float,
              allow_private: bool = False) -> dict:
    base = base_url or ARIN_RDAP
    asked = f"{base.rstrip('/')}/ip/{quote(ip)}"
    answer = fetch(asked, proxy, timeout, allow_private)
    fields = parse_ip(answer)
    org_url = _org_entity_url(answer, fields.get("org"), asked)
    if org_url:
        why = resolved_refusal(urlsplit(org_url).hostname or "", allow_private)
        try:
            if why:
                raise RDAPFailure(why)
            holder = _holder(fetch(org_url, proxy, timeout, allow_private))
        except RDAPFailure:
            holder = None
        if holder and not holder.upper().startswith("ORG-"):
            fields["org"] = holder
    return fields
