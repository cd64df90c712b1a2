"""The lab's web archive, compatible with the Wayback Machine's two interfaces:

- CDX queries, ``/cdx/search/cdx?url=DOMAIN/&output=json`` (with ``matchType``,
  ``from``/``to``, ``filter=statuscode:200``, ``limit``): a header row, then one row per
  capture (urlkey, timestamp, original, mimetype, statuscode, digest, length);
- raw replay, ``/web/TIMESTAMPid_/URL``: the page as captured, no toolbar, no rewritten links;
  a timestamp with no capture of that URL redirects to the nearest one, as Wayback does.

It holds captures of the lab's seized, parked and dead sites from before they were taken
down: the pages their operators served then.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from urllib.parse import parse_qs, unquote, urlsplit

from crawler.lab.background import template_pages
from crawler.lab.http_once import answer_once
from crawler.lab.pages import operator_pages
from crawler.lab.world import World

CAPTURED_AT = "20231012093000"  # before the October 2023 seizures
TAKEN_DOWN_AT = "20240115120000"  # after them
HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]


def captures(world: World) -> dict[str, list[tuple[str, str, str]]]:
    """domain -> [(timestamp, url, html)] of every captured page: the operator's pages in
    2023, then (as on the real Wayback Machine) the start page once more after the
    takedown, showing the seizure banner or the parking page."""
    cached = getattr(world, "_archive_captures", None)
    if cached is not None:
        return cached
    out: dict[str, list[tuple[str, str, str]]] = {}
    for site in world.sites.values():
        if site.template in ("seized", "parked") or site.dead:
            out[site.domain] = [(CAPTURED_AT, f"https://{site.domain}{path}", html)
                                for path, html in sorted(operator_pages(site).items())]
            after = (template_pages(site) or {}).get("/")
            if after:
                out[site.domain].append((TAKEN_DOWN_AT, f"https://{site.domain}/", after))
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
    for timestamp, url, html in captures(world).get(host, []):
        if not whole_site and (urlsplit(url).path or "/") != path:
            continue
        if not (timestamp >= start.ljust(14, "0") and timestamp <= end.ljust(14, "9")):
            continue
        digest = hashlib.sha1(html.encode()).hexdigest().upper()
        rows.append([_urlkey(url), timestamp, url, "text/html", "200", digest,
                     str(len(html.encode()))])
    limit = (query.get("limit") or [""])[0]
    if limit.lstrip("-").isdigit():
        rows = rows[int(limit):] if int(limit) < 0 else rows[:int(limit)]
    return [HEADER, *rows] if rows else []


def replay(world: World, stamp: str, url: str) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of ``/web/{stamp}id_/{url}``."""
    wanted = url if "://" in url else f"http://{url}"
    host = (urlsplit(wanted).hostname or "").removeprefix("www.")
    path = urlsplit(wanted).path or "/"
    found = [(ts, u, html) for ts, u, html in captures(world).get(host, [])
             if (urlsplit(u).path or "/") == path]
    if not found:
        return 404, {}, b"not in the archive"
    nearest = min(found, key=lambda c: abs(int(c[0]) - int(stamp.ljust(14, "0")[:14])))
    if nearest[0] != stamp:
        return 302, {"Location": f"/web/{nearest[0]}id_/{nearest[1]}"}, b""
    return 200, {"Content-Type": "text/html; charset=utf-8",
                 "Memento-Datetime": nearest[0]}, nearest[2].encode()


def answer(world: World, target: str) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(target)
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
    def respond(method: str, target: str, _head: str):
        world.lookups.append(("archive", target))
        return answer(world, target) if method == "GET" else (405, {}, b"")

    await answer_once(reader, writer, respond)
