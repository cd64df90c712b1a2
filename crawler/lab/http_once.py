"""One HTTP/1.1 request answered and the connection closed: the lab's RDAP service and web
archive share it (a request that never completes, or garbage, is dropped)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

Respond = Callable[[str, str, str], tuple[int, dict[str, str], bytes]]


async def answer_once(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                      respond: Respond) -> None:
    """Read one request head; write ``respond(method, target, head)``'s (status, headers,
    body); close."""
    try:
        raw = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout=10)
        head = raw.decode("latin-1")
        method, target, _ = head.split("\r\n", 1)[0].split(" ", 2)
        status, headers, body = respond(method, target, head)
        lines = [f"HTTP/1.1 {status} X", *(f"{k}: {v}" for k, v in headers.items()),
                 f"Content-Length: {len(body)}", "Connection: close", "", ""]
        writer.write("\r\n".join(lines).encode("latin-1") + body)
        await writer.drain()
    except (TimeoutError, ConnectionError, asyncio.IncompleteReadError, ValueError,
            asyncio.LimitOverrunError):
        pass
    finally:
        with contextlib.suppress(Exception):
            writer.close()
