"""Manners that hold across workers: limits kept in Redis, not in one process.

- ``SharedSlots``: at most N holders of a name at once, across every worker; a holder's slot
  is a lease, so a worker killed while holding one frees it when the lease runs out.
- ``RedisServerLimits``: the registries' manners (crawler/enrich/manners.py), a few queries
  per WHOIS or RDAP server at a time, for all workers together.
- ``SharedHostLimits``: each web host at most ``FACADE_CONCURRENCY_PER_SITE`` requests in
  flight and ``FACADE_DELAY`` seconds between requests, for all workers together (a host
  serving many seeds, a parking service say, is not hit once per worker). Only with
  ``FACADE_FRONTIER``.

Example:
    >>> slots = SharedSlots(connect("redis://127.0.0.1:6379/0"), "host:a.com", 2)  # doctest: +SKIP
    >>> token = slots.try_acquire()                                                 # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
import time
import uuid
from contextlib import asynccontextmanager, contextmanager
from urllib.parse import urlsplit

from crawler.enrich.manners import ServerLimits
from crawler.frontier.queue import PREFIX, connect

# A slot if fewer than ARGV[1] unexpired leases are held: the lease's token, else nil.
_ACQUIRE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1e6
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], t + tonumber(ARGV[2]), ARGV[3])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 1)
  return ARGV[3]
end
return false
"""
# Seconds to wait before the next request to a name, ARGV[1] seconds apart in all.
_NEXT = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1e6
local at = math.max(t, tonumber(redis.call('GET', KEYS[1]) or '0'))
redis.call('SET', KEYS[1], tostring(at + tonumber(ARGV[1])), 'EX',
           math.ceil(tonumber(ARGV[1])) + 60)
return tostring(at - t)
"""
POLL = 0.05


class SharedSlots:
    def __init__(self, redis, name: str, size: int, lease: float = 120.0):
        self.redis, self.key, self.size, self.lease = redis, f"{PREFIX}slots:{name}", size, lease
        self._acquire = redis.register_script(_ACQUIRE)

    def try_acquire(self) -> str | None:
        token = uuid.uuid4().hex
        got = self._acquire(keys=[self.key], args=[self.size, self.lease, token])
        return token if got else None

    def release(self, token: str) -> None:
        self.redis.zrem(self.key, token)


def wait_before(redis, name: str, delay: float) -> float:
    """Seconds to wait so that requests to ``name`` are ``delay`` apart across workers."""
    if delay <= 0:
        return 0.0
    script = redis.register_script(_NEXT)
    return max(0.0, float(script(keys=[f"{PREFIX}next:{name}"], args=[delay])))


class RedisServerLimits(ServerLimits):
    """ServerLimits whose slots are shared by every worker of the frontier."""

    def __init__(self, url: str, per_server: int = 2,
                 backoff: tuple[float, ...] = (1.0, 2.0, 4.0), lease: float = 120.0):
        super().__init__(per_server, backoff)
        self.redis = connect(url)
        self.lease = lease

    @contextmanager
    def slot(self, server: str):
        slots = SharedSlots(self.redis, f"registry:{server}", self.per_server, self.lease)
        while (token := slots.try_acquire()) is None:
            time.sleep(POLL)
        try:
            yield
        finally:
            slots.release(token)


# A host's slot and, with a delay, its next send time, in one step: the seconds to wait
# before sending, or nil when every slot is taken.
_HOLD = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1e6
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return false end
redis.call('ZADD', KEYS[1], t + tonumber(ARGV[2]), ARGV[3])
redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[2])) + 1)
local delay = tonumber(ARGV[4])
if delay <= 0 then return '0' end
local at = math.max(t, tonumber(redis.call('GET', KEYS[2]) or '0'))
redis.call('SET', KEYS[2], tostring(at + delay), 'EX', math.ceil(delay) + 60)
return tostring(at - t)
"""


class SharedHostLimits:
    """Each web host's slots and delay, shared by every worker: held by the download handler
    (crawler/crawl/handlers.py) around the download itself, after Scrapy's own queues, so
    that the delay is the one between requests as they leave. Asked with Redis's asyncio
    client: the crawl's event loop goes on while Redis answers."""

    def __init__(self, url: str, per_host: int, delay: float, lease: float):
        connect(url)  # reachable now, or a clear error before the crawl
        self.url = url
        self.per_host, self.delay, self.lease = per_host, delay, lease
        self._redis = None
        self._hold = None

    @classmethod
    def from_settings(cls, settings) -> SharedHostLimits | None:
        if not settings.get("FACADE_FRONTIER"):
            return None
        return cls(settings["FACADE_FRONTIER"], settings.getint("FACADE_CONCURRENCY_PER_SITE"),
                   settings.getfloat("FACADE_DELAY"), 2 * settings.getfloat("FACADE_TIMEOUT") + 30)

    @asynccontextmanager
    async def held(self, url: str):
        if self._redis is None:  # made in the crawl's event loop, which it belongs to
            from redis.asyncio import Redis

            self._redis = Redis.from_url(self.url, socket_timeout=30)
            self._hold = self._redis.register_script(_HOLD)
        host = (urlsplit(url).hostname or "").lower()
        keys = [f"{PREFIX}slots:host:{host}", f"{PREFIX}next:host:{host}"]
        token = uuid.uuid4().hex
        while (pause := await self._hold(keys=keys, args=[self.per_host, self.lease, token,
                                                           self.delay])) is None:
            await asyncio.sleep(POLL)
        try:
            if float(pause) > 0:
                await asyncio.sleep(float(pause))
            yield
        finally:
            await self._redis.zrem(keys[0], token)
