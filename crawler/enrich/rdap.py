"""RDAP (RFC 9083) lookups of domains and addresses, parsed to the same fields as WHOIS.

Domains go to the registry named by IANA's bootstrap registry (fetched for each run and
kept a day; crawler/data/rdap-dns.json when that fails), or to ``--rdap-url``; addresses go
to ARIN's RDAP service, whose redirects lead to the right registry, or to ``--rdap-url``.
Requests go through ``--proxy`` unless the RDAP service is on this machine's loopback, which
no proxy could reach.
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.request
from functools import lru_cache
from importlib import resources
from urllib.parse import quote, urlsplit

from crawler.address_policy import resolved_refusal
from crawler.enrich import manners

MAX_RDAP_BYTES = 1 << 20
ARIN_RDAP = "https://rdap.arin.net/registry/"


class RDAPFailure(Exception):
    """No usable RDAP answer; the message says why."""


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
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def fetch(url: str, proxy: str | None, timeout: float, allow_private: bool = False) -> dict:
    """GET an RDAP object, within the server's concurrency limit, backing off on HTTP 429."""
    try:
        return manners.LIMITS.call(f"rdap:{urlsplit(url).netloc}",
                                   lambda: _fetch(url, proxy, timeout, allow_private))
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


def _fetch(url: str, proxy: str | None, timeout: float, allow_private: bool = False) -> dict:
    handlers: list = [_CheckedRedirects(urlsplit(url).netloc.lower(), allow_private)]
    if proxy and not _loopback(url):
        handlers.append(urllib.request.ProxyHandler({"http": proxy, "https": proxy}))
    else:
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"Accept": "application/rdap+json"})
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_RDAP_BYTES + 1)
    except urllib.error.HTTPError as exc:
        if exc.code == 429:
            try:
                retry_after = float(exc.headers.get("Retry-After", ""))
            except ValueError:
                retry_after = None
            raise manners.RateLimited(f"RDAP {url}: HTTP 429", retry_after) from None
        raise RDAPFailure(f"RDAP {url}: HTTP {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RDAPFailure(f"RDAP {url}: {reason}") from None
    if len(body) > MAX_RDAP_BYTES:
        raise RDAPFailure(f"RDAP {url}: answer larger than {MAX_RDAP_BYTES} bytes")
    try:
        data = json.loads(body)
    except ValueError:
        raise RDAPFailure(f"RDAP {url}: not JSON") from None
    if not isinstance(data, dict):
        raise RDAPFailure(f"RDAP {url}: not an RDAP object")
    return data


def _list(obj: dict, key: str) -> list:
    """``obj[key]`` when it is a list; answers from the wild have any shape."""
    value = obj.get(key)
    return value if isinstance(value, list) else []


def _vcard(entity: dict) -> dict[str, str]:
    """fn, org, email and country of an entity's jCard (RFC 7095)."""
    out: dict[str, str] = {}
    card = entity.get("vcardArray")
    if not (isinstance(card, list) and len(card) == 2 and isinstance(card[1], list)):
        return out
    for prop in card[1]:
        if not (isinstance(prop, list) and len(prop) >= 4):
            continue
        name, params, value = str(prop[0]).lower(), prop[1], prop[3]
        params = params if isinstance(params, dict) else {}
        if isinstance(value, list):
            value = value if name == "adr" else " ".join(str(v) for v in value if v)
        if name in ("fn", "org", "email") and value and name not in out:
            out[name] = str(value).strip()
        elif name == "adr":
            country = params.get("cc")
            if not country and isinstance(value, list) and value:
                country = value[-1]
            if country:
                out["country"] = str(country).strip()
    return out


def _entities(obj: dict, role: str) -> list[dict]:
    found = []
    for entity in _list(obj, "entities"):
        if not isinstance(entity, dict):
            continue
        if role in _list(entity, "roles"):
            found.append(entity)
        found += _entities(entity, role)
    return found


def _event(obj: dict, action: str) -> str | None:
    for event in _list(obj, "events"):
        if isinstance(event, dict) and event.get("eventAction") == action:
            date = event.get("eventDate")
            return date if isinstance(date, str) else None
    return None


def parse_domain(obj: dict) -> dict:
    """Registration fields of an RDAP domain object (the same keys WHOIS parsing gives)."""
    if not isinstance(obj, dict) or obj.get("objectClassName") != "domain":
        raise RDAPFailure("RDAP answer is not a domain object")
    registrar = next((_holder(e) for e in _entities(obj, "registrar") if _holder(e)), None)
    registrant = next((_vcard(e) for e in _entities(obj, "registrant")), {})
    fields = {
        "registrar": registrar,
        "creation_date": _event(obj, "registration"),
        "expiration_date": _event(obj, "expiration"),
        "registrant_name": registrant.get("fn"),
        "registrant_org": registrant.get("org"),
        "registrant_email": (registrant.get("email") or "").lower() or None,
        "registrant_country": registrant.get("country"),
        "name_servers": sorted({ns["ldhName"].lower().rstrip(".")
                                for ns in _list(obj, "nameservers")
                                if isinstance(ns, dict) and isinstance(ns.get("ldhName"), str)
                                and ns["ldhName"]}),
    }
    return fields


def _holder(entity: dict) -> str | None:
    """An entity's organisation or name, else its handle (CZ.NIC names registrars by handle
    only); a name that merely repeats the handle (AFRINIC) counts as none."""
    card = _vcard(entity)
    handle = entity.get("handle") if isinstance(entity.get("handle"), str) else None
    name = card.get("org") or card.get("fn")
    return name if name and name != handle else handle


def _description(obj: dict) -> str | None:
    """The first line of a "description" remark: RIPE's and APNIC's descr, which names the
    holder when the answer carries no registrant contact."""
    for remark in _list(obj, "remarks"):
        if isinstance(remark, dict) and str(remark.get("title", "")).lower() == "description":
            lines = [str(x).strip() for x in _list(remark, "description") if str(x).strip()]
            if lines:
                return lines[0]
    return None


def parse_ip(obj: dict) -> dict:
    """Hosting organisation and ASN of an RDAP ip network object: the registrant's
    organisation or name, else the network's description, else its name."""
    if not isinstance(obj, dict) or obj.get("objectClassName") != "ip network":
        raise RDAPFailure("RDAP answer is not an ip network object")
    holder = next((_vcard(e) for e in _entities(obj, "registrant")
                   if _vcard(e).get("org") or _vcard(e).get("fn")), {})
    asns = [a for a in _list(obj, "arin_originas0_originautnums")
            if isinstance(a, int) and not isinstance(a, bool) and a > 0]
    name = obj.get("name") if isinstance(obj.get("name"), str) else None
    org = holder.get("org") or holder.get("fn") or _description(obj) or name
    if not org and not asns:
        raise RDAPFailure("RDAP ip network has no holder or origin AS")
    return {"org": org, "asn": asns[0] if asns else None}


REGISTRANT = ("registrant_name", "registrant_org", "registrant_email")


def related_links(obj: dict) -> list[str]:
    """The registrar's own RDAP URLs for a domain that a thin registry answer points to
    (``rel="related"``, RFC 9083 §4.2; Verisign's .com and .net answers carry one)."""
    out = []
    for link in _list(obj, "links"):
        if not isinstance(link, dict) or str(link.get("rel", "")).lower() != "related":
            continue
        href, kind = link.get("href"), str(link.get("type") or "application/rdap+json")
        if (isinstance(href, str) and href.startswith(("http://", "https://"))
                and "rdap" in kind.lower() and "/domain/" in href.lower()):
            out.append(href)
    return out


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


def lookup_ip(ip: str, base_url: str | None, proxy: str | None, timeout: float,
              allow_private: bool = False) -> dict:
    base = base_url or ARIN_RDAP
    return parse_ip(fetch(f"{base.rstrip('/')}/ip/{quote(ip)}", proxy, timeout,
                          allow_private))
