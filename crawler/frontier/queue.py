"""The shared frontier: a run's sites in Redis, claimed by workers and never lost.

A site, not a request, is the unit a worker claims: a site's status is judged from all of
its pages, so one worker crawls all of them. A claim moves the site from the queue to the
worker's own list in one step (``LMOVE``); the worker acknowledges it once the store holds
the site finished (final status and enrichment). A worker proves it is alive by a key that
expires; the sites of a worker whose key has expired (killed with -9, its machine gone) are
moved back to the queue by whichever process looks next. scrapy-redis's queues pop a
request outright (``RPOP``), so a worker killed between the pop and the store loses it:
that is why claims are kept apart here. scrapy-redis's duplicate filter keeps a site from
being queued twice in one run.

Keys (``facade:`` then): ``run`` (what is being crawled, JSON), ``queue`` (sites to crawl),
``claimed:<worker>`` (sites a worker is on), ``workers`` (set), ``alive:<worker>`` (TTL),
``seen`` (scrapy-redis dupefilter), ``slots:<name>`` and ``next:<name>`` (crawler/frontier/
limits.py).

Example:
    >>> frontier = Frontier("redis://127.0.0.1:6379/0")           # doctest: +SKIP
    >>> frontier.publish({"run_id": 1, "options": {}}, ["a.com"])  # doctest: +SKIP
    >>> frontier.claim("worker-1")                                 # doctest: +SKIP
    'a.com'
"""

from __future__ import annotations

import json
import os
import socket
import threading
import uuid
from collections.abc import Iterable

PREFIX = "facade:"
ALIVE_SECONDS = 10  # a worker silent this long is dead: its sites go back to the queue
BEAT_SECONDS = 2

# Every claimed site of a dead worker back to the queue's head, in one step.
_RETURN = """
local n = 0
while redis.call('LMOVE', KEYS[1], KEYS[2], 'RIGHT', 'RIGHT') do n = n + 1 end
redis.call('SREM', KEYS[3], ARGV[1])
return n
"""


class FrontierError(RuntimeError):
    """The frontier cannot be reached or holds nothing to do."""


def connect(url: str):
    """A Redis client for ``url``, as scrapy-redis makes one (``REDIS_URL``)."""
    from redis.exceptions import RedisError
    from scrapy_redis.connection import get_redis

    try:
        server = get_redis(url=url, socket_timeout=30, socket_connect_timeout=10)
        server.ping()
    except (RedisError, ValueError) as exc:
        raise FrontierError(f"{url}: cannot reach the frontier ({exc})") from None
    return server


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class Frontier:
    def __init__(self, url: str):
        self.url = url
        self.redis = connect(url)
        self._return = self.redis.register_script(_RETURN)

    def _key(self, name: str) -> str:
        return PREFIX + name

    # ---- the coordinator (`facade crawl --frontier`) -----------------------------------

    def publish(self, run: dict, domains: Iterable[str]) -> int:
        """Make ``run`` the frontier's run and queue its ``domains`` (each once in the run,
        by scrapy-redis's duplicate filter); how many were queued."""
        from scrapy import Request
        from scrapy_redis.dupefilter import RFPDupeFilter

        current = self.run()
        if current is None or current.get("run_id") != run["run_id"] or \
                current.get("db") != run.get("db"):
            self.redis.delete(self._key("seen"), self._key("queue"))
        self.redis.set(self._key("run"), json.dumps(run))
        seen = RFPDupeFilter(self.redis, self._key("seen"))
        queued = 0
        pipe = self.redis.pipeline(transaction=False)
        for domain in domains:
            if not seen.request_seen(Request(f"https://{domain}/")):
                pipe.lpush(self._key("queue"), domain)
                queued += 1
            if len(pipe) >= 1000:
                pipe.execute()
        pipe.execute()
        return queued

    def republish(self, run: dict) -> None:
        """``run`` the frontier's run again, if Redis lost it (restarted without its data)."""
        if self.run() != run:
            self.redis.set(self._key("run"), json.dumps(run))

    def requeue(self, domains: Iterable[str]) -> None:
        """Sites to crawl again (a resumed run): queued whether seen before or not."""
        for domain in domains:
            self.redis.lpush(self._key("queue"), domain)

    def finish(self, run_id: int) -> None:
        """The run is over: nothing of it is left in the frontier."""
        if (self.run() or {}).get("run_id") == run_id:
            self.redis.delete(self._key("run"), self._key("queue"), self._key("seen"))

    def run(self) -> dict | None:
        raw = self.redis.get(self._key("run"))
        return json.loads(raw) if raw else None

    # ---- workers -------------------------------------------------------------------------

    def join(self, worker: str) -> None:
        self.redis.sadd(self._key("workers"), worker)
        self.beat(worker)

    def beat(self, worker: str) -> None:
        self.redis.set(self._key(f"alive:{worker}"), "1", ex=ALIVE_SECONDS)

    def leave(self, worker: str) -> None:
        self.return_claims(worker)
        self.redis.delete(self._key(f"alive:{worker}"))

    def claim(self, worker: str) -> str | None:
        """The next site for ``worker``, moved to its claimed list; None when the queue is
        empty."""
        got = self.redis.lmove(self._key("queue"), self._key(f"claimed:{worker}"),
                               "RIGHT", "LEFT")
        return got.decode() if isinstance(got, bytes) else got

    def claimed(self, worker: str) -> list[str]:
        return [d.decode() for d in self.redis.lrange(self._key(f"claimed:{worker}"), 0, -1)]

    def ack(self, worker: str, domains: Iterable[str]) -> None:
        """``domains`` are finished in the store: no longer ``worker``'s to answer for."""
        pipe = self.redis.pipeline(transaction=False)
        for domain in domains:
            pipe.lrem(self._key(f"claimed:{worker}"), 0, domain)
        pipe.execute()

    def return_claims(self, worker: str) -> int:
        return int(self._return(keys=[self._key(f"claimed:{worker}"), self._key("queue"),
                                      self._key("workers")], args=[worker]))

    def reap(self) -> int:
        """Sites of dead workers back to the queue; how many."""
        back = 0
        for raw in self.redis.smembers(self._key("workers")):
            worker = raw.decode()
            if not self.redis.exists(self._key(f"alive:{worker}")):
                back += self.return_claims(worker)
        return back

    def queued(self) -> int:
        return int(self.redis.llen(self._key("queue")))

    def in_hand(self) -> int:
        """Sites claimed by any worker and not yet acknowledged."""
        return sum(int(self.redis.llen(self._key(f"claimed:{w.decode()}")))
                   for w in self.redis.smembers(self._key("workers")))

    def drained(self) -> bool:
        """Nothing queued and nothing in any worker's hands (dead workers' sites returned
        first)."""
        self.reap()
        return self.queued() == 0 and self.in_hand() == 0


class Heartbeat:
    """A thread that keeps ``worker`` alive in the frontier while the block runs."""

    def __init__(self, frontier: Frontier, worker: str):
        self.frontier, self.worker = frontier, worker
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="facade-heartbeat",
                                        daemon=True)

    def _beat(self) -> None:
        while not self._stop.wait(BEAT_SECONDS):
            try:
                self.frontier.beat(self.worker)
            except Exception:  # noqa: BLE001 - Redis away for a moment: the next beat tries
                pass

    def __enter__(self) -> Heartbeat:
        self.frontier.join(self.worker)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
