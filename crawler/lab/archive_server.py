"""The lab's web archive, compatible with the Wayback Machine's two interfaces:

- CDX queries, ``/cdx/search/cdx?url=DOMAIN/&output=json`` (with ``matchType``,
  ``from``/``to``, ``filter=statuscode:200``, ``limit``): a header row, then one row per
  capture (urlkey, timestamp, original, mimetype, statuscode, digest, length);
- raw replay, ``/web/TIMESTAMPid_/URL``: the page as captured, no toolbar, no rewritten links;
  a timestamp with no capture of that URL redirects to the nearest one, as Wayback does;
- Memento TimeMaps, ``/timemap/link/URL``, as an aggregator serves them.

It holds captures of the lab's seized, parked and dead sites from before they were taken
down: the pages their operators served then.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import parse_qs, unquote, urlsplit

from crawler.lab.background import template_pages
from crawler.lab.http_once import answer_once
from crawler.lab.pages import operator_pages
from crawler.lab.world import World

CAPTURED_AT = "20231012093000"  # before the October 2023 seizures
TAKEN_DOWN_AT = "20240115120000"  # after them
HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]


PARKING_ICON = ("image/x-icon", b"\x00\x00\x01\x00SEDO-PARKING-ICON" * 4)


def captures(world: World) -> dict[str, list[tuple[str, str, str, bytes]]]:
    """domain -> [(timestamp, url, mimetype, body)] of every capture: the operator's pages
    and files in 2023, then (as on the real Wayback Machine) the start page once more after
    the takedown, showing the seizure banner or the parking page.

    A parked site's favicon was not captured in 2023, only after it was parked: the parking
    service's icon, the same for every parked domain, which the archive gives for the
    operator's page's date since it is the nearest capture it holds."""
    cached = getattr(world, "_archive_captures", None)
    if cached is not None:
        return cached
    out: dict[str, list[tuple[str, str, str, bytes]]] = {}
    for site in world.sites.values():
        if site.template in ("seized", "parked") or site.dead:
            base = f"https://{site.domain}"
            held = [(CAPTURED_AT, base + path, "text/html", html.encode())
                    for path, html in sorted(operator_pages(site).items())]
            held += [(CAPTURED_AT, base + path, mimetype, body)
                     for path, (mimetype, body) in sorted(site.files.items())
                     if not (site.template == "parked" and path == "/favicon.ico")]
            after = (template_pages(site) or {}).get("/")
            if after:
                held.append((TAKEN_DOWN_AT, base + "/", "text/html", after.encode()))
            if site.template == "parked":
                held.append((TAKEN_DOWN_AT, base + "/favicon.ico", *PARKING_ICON))
            out[site.domain] = held
    world._archive_captures = out
    return out


def _urlkey(url: str) -> str:
    parts = urlsplit(url)
    host = ",".join(reversed((parts.hostname or "").removeprefix("www.").split(".")))
    return f"{host}){parts.path or '/'}"


def cdx_rows(world: World, query: dict[str, list[str]]) -> list[list[str]]:
    wanted = (query.get("url") or [""])[0]
    wanted = wanted if "://" in wanted else f"http://{wanted}"
    host = (urlsplit(wanted).hostname or "").removeprefix("www.")
    path = urlsplit(wanted).path or "/"
    whole_site = (query.get("matchType") or [""])[0] in ("domain", "host", "prefix")
    start, end = (query.get("from") or [""])[0], (query.get("to") or ["9"])[0]
    rows = []
    for timestamp, url, mimetype, body in captures(world).get(host, []):
        if not whole_site and (urlsplit(url).path or "/") != path:
            continue
        if not (timestamp >= start.ljust(14, "0") and timestamp <= end.ljust(14, "9")):
            continue
        digest = hashlib.sha1(body).hexdigest().upper()
        rows.append([_urlkey(url), timestamp, url, mimetype, "200", digest, str(len(body))])
    limit = (query.get("limit") or [""])[0]
    if limit.lstrip("-").isdigit():
        rows = rows[int(limit):] if int(limit) < 0 else rows[:int(limit)]
    return [HEADER, *rows] if rows else []


def _captures_of(world: World, url: str) -> list[tuple[str, str, str, bytes]]:
    """The captures of one URL (its path, whatever the scheme, www. and query)."""
    wanted = url if "://" in url else f"http://{url}"
    host = (urlsplit(wanted).hostname or "").removeprefix("www.")
    path = urlsplit(wanted).path or "/"
    return [c for c in captures(world).get(host, []) if (urlsplit(c[1]).path or "/") == path]


def _http_date(stamp: str) -> str:
    return format_datetime(datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=UTC),
                           usegmt=True)


def replay(world: World, stamp: str, url: str) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of ``/web/{stamp}id_/{url}``."""
    found = _captures_of(world, url)
    if not found:
        return 404, {}, b"not in the archive"
    nearest = min(found, key=lambda c: abs(int(c[0]) - int(stamp.ljust(14, "0")[:14])))
    if nearest[0] != stamp:
        return 302, {"Location": f"/web/{nearest[0]}id_/{nearest[1]}"}, b""
    return 200, {"Content-Type": nearest[2], "Memento-Datetime": _http_date(nearest[0])}, \
        nearest[3]


def timemap(world: World, url: str, host: str) -> tuple[int, dict[str, str], bytes]:
    """A Memento TimeMap in link format of one URL, as an aggregator gives it: each
    memento's (rewritten-replay) URL and its datetime; 404 when the archive has none."""
    found = _captures_of(world, url)
    if not found:
        return 404, {}, b"no mementos"
    links = [f'<{url}>; rel="original"']
    for stamp, original, _, _ in found:
        links.append(f'<http://{host}/web/{stamp}/{original}>; rel="memento"; '
                     f'datetime="{_http_date(stamp)}"')
    return 200, {"Content-Type": "application/link-format"}, ",\n".join(links).encode()


def answer(world: World, target: str, host: str = "") -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(target)
    if parts.path.startswith("/timemap/link/"):
        return timemap(world, unquote(target[len("/timemap/link/"):]), host)
    if parts.path == "/cdx/search/cdx":
        body = json.dumps(cdx_rows(world, parse_qs(parts.query))).encode()
        return 200, {"Content-Type": "application/json"}, body
    if parts.path.startswith("/web/") and "id_/" in parts.path:
        stamp, url = target[len("/web/"):].split("id_/", 1)
        if stamp.isdigit():
            return replay(world, stamp, unquote(url))
    return 400, {}, b"unsupported"


async def handle_archive(world: World, reader: asyncio.StreamReader,
                         writer: asyncio.StreamWriter) -> None:
    def respond(method: str, target: str, head: str):
        world.lookups.append(("archive", target))
        host = next((line.split(":", 1)[1].strip() for line in head.split("\r\n")[1:]
                     if line.lower().startswith("host:")), "")
        return answer(world, target, host) if method == "GET" else (405, {}, b"")

    await answer_once(reader, writer, respond)
