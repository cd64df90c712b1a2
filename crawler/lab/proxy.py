"""The lab's HTTP forward proxy: serves lab sites as virtual hosts.

Absolute-URI GET/HEAD over plain HTTP, and CONNECT to port 443 terminated with TLS using the
site's lab certificate. Like Squid, it answers 502 with an ``X-Squid-Error`` header when a
host is unknown (``ERR_DNS_FAIL``) or its server is down or has no TLS (``ERR_CONNECT_FAIL``).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import struct
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from crawler.lab.world import LabSite, World

MAX_HEADER_BYTES = 65536
HUGE_PAGE_BYTES = 60 * 1024 * 1024
BOMB_INFLATED_BYTES = 600 * 1024 * 1024


@dataclass
class Response:
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    action: str | None = None  # "tarpit", "reset" or "huge": misbehave instead of answering


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """A gzip body (about 600 KB) that inflates to 600 MB of zeros; made once."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = bytes(1 << 20)
    parts = [packer.compress(chunk) for _ in range(BOMB_INFLATED_BYTES >> 20)]
    return b"".join(parts) + packer.flush()


def _error(status: int, reason: str, squid_error: str, text: str) -> Response:
    return Response(
        status, reason, [("Content-Type", "text/plain"), ("X-Squid-Error", squid_error)],
        text.encode(),
    )


def respond(world: World, host: str, path: str, scheme: str) -> Response:
    """What the lab site at ``host`` answers for ``path``."""
    site = world.site_for_host(host)
    if site is None or not site.resolvable:
        return _error(502, "Bad Gateway", "ERR_DNS_FAIL 0", f"unknown host {host}")
    if site.dead:
        return _error(502, "Bad Gateway", "ERR_CONNECT_FAIL 111", f"cannot connect to {host}")
    html = [("Content-Type", "text/html; charset=utf-8"), ("Server", "nginx")]
    if site.fault == "tarpit":
        return Response(0, "", [], b"", action="tarpit")
    if site.fault == "reset":
        return Response(200, "OK", html, b"<html><body>" + b"x" * 2000, action="reset")
    if site.fault == "huge_page":
        return Response(200, "OK", html, b"", action="huge")
    if site.fault == "gzip_bomb":
        return Response(200, "OK", [*html, ("Content-Encoding", "gzip")], gzip_bomb())
    if site.redirect_to:
        location = (site.redirect_to if "://" in site.redirect_to
                    else f"{scheme}://{site.redirect_to}/")
        return Response(301, "Moved Permanently", [*html, ("Location", location)], b"")
    if site.error_status:
        return Response(site.error_status, "Service Unavailable", html, b"<h1>Unavailable</h1>")
    clean = path.split("?", 1)[0].rstrip("/") or "/"
    if clean in site.files:
        content_type, body = site.files[clean]
        return Response(200, "OK", [("Content-Type", content_type), ("Server", "nginx")], body)
    page = site.pages.get(clean)
    if page is None:
        return Response(404, "Not Found", html, b"<h1>Not Found</h1>")
    if site.fault == "gbk_meta":  # the charset only in a meta tag, not in Content-Type
        body = page.replace('<meta charset="utf-8">', '<meta charset="gbk">').encode("gbk")
        return Response(200, "OK", [("Content-Type", "text/html"), ("Server", "nginx")], body)
    return Response(200, "OK", html, page.encode("utf-8", "surrogateescape"))


class LabProxy:
    """An asyncio forward proxy; ``ssl_for(site)`` gives the TLS context a site presents."""

    def __init__(self, world: World, ssl_for: Callable[[LabSite], ssl.SSLContext]):
        self.world = world
        self.ssl_for = ssl_for
        self.hosts_seen: list[str] = []  # every host asked for: tests check who was contacted
        self.urls_seen: list[str] = []  # every URL served: tests check nothing is fetched twice
        # (monotonic time, host) of every request served: tests check the crawl's manners
        self.served_at: list[tuple[float, str]] = []

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await self._serve(reader, writer, tunnel_host=None)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError, OSError,
                asyncio.LimitOverrunError, ValueError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()

    async def _serve(self, reader, writer, tunnel_host: str | None) -> None:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            if len(head) > MAX_HEADER_BYTES:
                return
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            headers = {}
            for line in lines[1:]:
                if ":" in line:
                    k, v = line.split(":", 1)
                    headers[k.strip().lower()] = v.strip()
            if int(headers.get("content-length", "0") or 0):
                await reader.readexactly(int(headers["content-length"]))
            if method == "CONNECT" and tunnel_host is None:
                await self._connect(reader, writer, target)
                return
            if tunnel_host is not None:
                host, path, scheme = tunnel_host, target, "https"
            else:
                parts = urlsplit(target)
                host, scheme = parts.hostname or "", "http"
                path = parts.path or "/"
                if parts.query:
                    path += "?" + parts.query
            self.hosts_seen.append(host)
            self.urls_seen.append(f"{scheme}://{host}{path}")
            self.served_at.append((time.monotonic(), host))
            resp = respond(self.world, host, path, scheme)
            if resp.action:
                await self._misbehave(writer, resp)
                return
            close = headers.get("connection", "").lower() == "close"
            self._write(writer, resp, head_only=method == "HEAD", close=close)
            await writer.drain()
            if close:
                return

    async def _connect(self, reader, writer, target: str) -> None:
        host, _, port = target.rpartition(":")
        self.hosts_seen.append(host)
        site = self.world.site_for_host(host)
        if site is None or not site.resolvable:
            self._write(writer, _error(502, "Bad Gateway", "ERR_DNS_FAIL 0", "unknown host"))
            return
        if site.fault == "tarpit":
            await asyncio.sleep(3600)
            return
        if site.fault == "tls_failure":
            writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n\x15\x03\x01\x00\x02"
                         b"\x02\x28 not a TLS server")
            await writer.drain()
            return
        if site.dead or not site.tls or port != "443":
            self._write(writer, _error(502, "Bad Gateway", "ERR_CONNECT_FAIL 111", "no TLS"))
            return
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
        await writer.start_tls(self.ssl_for(site))
        await self._serve(reader, writer, tunnel_host=host)

    async def _misbehave(self, writer, resp: Response) -> None:
        if resp.action == "tarpit":
            await asyncio.sleep(3600)
        elif resp.action == "reset":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                         b"Content-Length: 100000\r\n\r\n" + resp.body)
            await writer.drain()
            sock = writer.get_extra_info("socket")
            if sock is not None:  # SO_LINGER 0: close with a TCP reset
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()
        elif resp.action == "huge":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                         + f"Content-Length: {HUGE_PAGE_BYTES}\r\n\r\n".encode() + b"<html>")
            chunk = b"<p>" + b"padding " * 8190 + b"</p>"
            for _ in range(HUGE_PAGE_BYTES // len(chunk)):
                writer.write(chunk)
                await writer.drain()

    @staticmethod
    def _write(writer, resp: Response, head_only: bool = False, close: bool = False) -> None:
        lines = [f"HTTP/1.1 {resp.status} {resp.reason}"]
        lines += [f"{k}: {v}" for k, v in resp.headers]
        lines.append(f"Content-Length: {len(resp.body)}")
        if close:
            lines.append("Connection: close")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        if not head_only:
            writer.write(resp.body)
