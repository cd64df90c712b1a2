"""Manners toward WHOIS and RDAP servers: a few connections per server at a time, and backoff
when a server says it is rate-limiting us.

Example:
    >>> limits = ServerLimits(per_server=2, backoff=(0.0,))
    >>> with limits.slot("whois:whois.example:43"):
    ...     pass
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")
RATE_LIMITED = re.compile(
    r"limit exceeded|rate limit|too many (?:requests|queries)|quota exceeded|try again later"
    r"|query rate|exceeded the maximum|access denied.{0,40}(?:limit|excessive)",
    re.I,
)


class RateLimited(Exception):
    """The server answered that we query too often; ``retry_after`` seconds if it said."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class ServerLimits:
    def __init__(self, per_server: int = 2, backoff: tuple[float, ...] = (1.0, 2.0, 4.0),
                 max_wait: float = 10.0):
        self.per_server = per_server
        self.backoff = backoff
        self.max_wait = max_wait
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def slot(self, server: str):
        with self._lock:
            sem = self._slots.setdefault(server, threading.BoundedSemaphore(self.per_server))
        with sem:
            yield

    def call(self, server: str, func: Callable[[], T]) -> T:
        """``func()`` in one of the server's slots, retried after backoff when rate-limited;
        the last RateLimited is raised when the server never relents."""
        for attempt, pause in enumerate((*self.backoff, None)):
            try:
                with self.slot(server):
                    return func()
            except RateLimited as exc:
                if pause is None:
                    raise RateLimited(f"{exc} (still after {attempt + 1} tries)") from None
                time.sleep(min(exc.retry_after or pause, self.max_wait))
        raise AssertionError("unreachable")


LIMITS = ServerLimits()


def configure(per_server: int = 2, backoff: tuple[float, ...] = (1.0, 2.0, 4.0)) -> None:
    """Set the limits every WHOIS and RDAP query of this process observes."""
    global LIMITS
    LIMITS = ServerLimits(per_server, backoff)
