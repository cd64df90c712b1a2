"""Enrichment in a process of its own: each seed's DNS records, registration, address owners
and certificate, asked by the threads of a child process rather than the crawl's.

The crawl's reactor is one thread of one interpreter. Asked by threads of that same
interpreter, enrichment (dnspython's messages, RDAP's JSON, WHOIS parsing, certificates)
held the interpreter lock for about 5 s of CPU in a 500-site lab crawl, and the reactor
waited for it: that crawl took 13.3 s with enrichment and 10.2 s with none. In a child it
runs on the other core.

The child writes what it finds to the store itself, each source the moment it is in (SQLite
lets one writer in at a time, from either process), so a killed crawl keeps it as before.
The crawl gets back the DNS answers, which it decides on, and word that a site's enrichment
is done. If the child ends early (killed, out of memory), the jobs it had fail with
``EnrichmentLost`` and ``on_lost`` is called: the crawl stops, its run kept for resuming, as
after Ctrl-C.

Example (the child's side is ``python -m crawler.enrich.worker``):
    >>> import tempfile
    >>> from crawler.crawl.options import CrawlOptions
    >>> from crawler.store import Store
    >>> db = tempfile.mkdtemp() + "/f.db"
    >>> run = Store(db).create_run(None, {}, "seeds.txt", [], [{"domain": "example.test"}])
    >>> worker = EnrichWorker(db, run, CrawlOptions(nameservers=[("127.0.0.1", 9)], timeout=0.2))
    >>> answer = worker.lookup("example.test").result(timeout=30)  # no server listens there
    >>> answer["A"], "A" in answer["errors"]
    ([], True)
    >>> worker.close()
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from multiprocessing.connection import Connection
from typing import Any

STOP_WAIT_SECONDS = 3.0  # a stopped crawl waits this long for the child to go


class EnrichmentLost(RuntimeError):
    """The enrichment process ended before it answered."""


class EnrichmentFailed(RuntimeError):
    """A job raised in the enrichment process (a bug: each source records its failures)."""


class EnrichWorker:
    """The crawl's side: jobs go to the child, each answered through a Future."""

    def __init__(self, db_path: str, run_id: int, opts) -> None:
        jobs_read, jobs_write = os.pipe()
        answers_read, answers_write = os.pipe()
        # A session of its own: a Ctrl-C at the terminal reaches the crawl alone, which
        # stops the child in order; the child also ends when the crawl's end of the pipe
        # closes, however the crawl ended.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "crawler.enrich.worker", str(jobs_read), str(answers_write)],
            pass_fds=(jobs_read, answers_write), stdin=subprocess.DEVNULL,
            start_new_session=True)
        os.close(jobs_read)
        os.close(answers_write)
        self._jobs = Connection(jobs_write, readable=False)
        self._answers = Connection(answers_read, writable=False)
        self._waiting: dict[int, Future] = {}
        self._lock = threading.Lock()  # the waiting jobs
        self._sending = threading.Lock()
        self._ids = itertools.count()
        self._closing = False
        self.lost: str | None = None  # why the child ended before it was told to
        self.on_lost: Callable[[], None] | None = None
        try:
            self._send((str(db_path), run_id, opts))
        except EnrichmentLost:
            pass  # it died at once (its error is on stderr): every job fails, and says so
        self._reader = threading.Thread(target=self._read, name="facade-enrich-answers",
                                        daemon=True)
        self._reader.start()

    def lookup(self, domain: str) -> Future:
        """The DNS records of ``domain`` (crawler.enrich.dns.lookup's dict)."""
        return self._job("dns", domain)

    def enrich(self, domain: str, addresses: list[str], fetch_tls: bool,
               done: dict | None) -> Future:
        """Registration, address owners and certificate of ``domain``, written to the store;
        the Future's result is None once they are."""
        return self._job("enrich", domain, addresses, fetch_tls, done)

    def close(self, cancel: bool = False) -> None:
        """Wait for every job to finish, or (``cancel``) end the child at once, dropping the
        lookups under way."""
        self._closing = True
        try:
            self._send(("close", cancel))
        except EnrichmentLost:
            pass
        try:
            self.process.wait(timeout=STOP_WAIT_SECONDS if cancel else None)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join()
        self._jobs.close()

    def _job(self, kind: str, *args: Any) -> Future:
        future: Future = Future()
        with self._lock:
            job = next(self._ids)
            self._waiting[job] = future
        try:
            self._send((job, kind, *args))
        except EnrichmentLost as exc:
            with self._lock:
                self._waiting.pop(job, None)
            future.set_exception(exc)
        return future

    def _send(self, message: tuple) -> None:
        try:
            with self._sending:
                self._jobs.send(message)
        except (OSError, ValueError) as exc:  # the child is gone (or closed by us)
            raise EnrichmentLost(f"enrichment process ended ({exc})") from None

    def _read(self) -> None:
        while True:
            try:
                job, ok, value = self._answers.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                future = self._waiting.pop(job, None)
            if future is None:
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(EnrichmentFailed(value))
        self._answers.close()
        with self._lock:
            left, self._waiting = list(self._waiting.values()), {}
        if not self._closing:
            self.lost = f"the enrichment process ended (exit status {self.process.wait()})"
        for future in left:
            future.set_exception(EnrichmentLost(self.lost or "the enrichment process ended"))
        if self.lost and self.on_lost is not None:
            self.on_lost()


def _enrich_and_store(store, run_id: int, config, ip_cache, domain: str,
                      addresses: list[str], fetch_tls: bool, done: dict | None) -> None:
    from crawler.enrich.runner import enrich_site

    def save(source: str, result: tuple) -> None:
        store.put_enrichment(run_id, domain, source, *result)

    try:
        results = enrich_site(domain, addresses, fetch_tls, config, ip_cache, done, save)
    except Exception as exc:  # enrich_site records failures itself; this is a bug guard
        results = {"enrichment": (None, f"{type(exc).__name__}: {exc}")}
    store.put_site_enrichment(run_id, domain, results)


def serve(jobs: Connection, answers: Connection) -> None:
    """The child's side: read jobs until told to close (or the crawl is gone)."""
    from crawler.crawl.settings import DEFAULTS
    from crawler.enrich import dns as dnsenrich
    from crawler.enrich.runner import IPWhoisCache, configure, load_rdap_bootstrap
    from crawler.store import Store

    db_path, run_id, opts = jobs.recv()
    store = Store(db_path)
    config = configure(store, opts)
    if opts.frontier:  # the registries' manners hold for every worker together
        from crawler.enrich import manners
        from crawler.frontier.limits import RedisServerLimits

        manners.LIMITS = RedisServerLimits(opts.frontier, manners.LIMITS.per_server,
                                           manners.LIMITS.backoff)
    load_rdap_bootstrap(store, config)  # the crawl reported its problem, if it has one
    resolver = dnsenrich.make_resolver(opts.nameservers, opts.timeout)
    ip_cache = IPWhoisCache(config)
    lookups = ThreadPoolExecutor(DEFAULTS["FACADE_DNS_WORKERS"], "facade-dns")
    pool = ThreadPoolExecutor(DEFAULTS["FACADE_ENRICH_WORKERS"], "facade-enrich")
    lock = threading.Lock()

    def answer(job: int, future: Future) -> None:
        try:
            message = (job, True, future.result())
        except BaseException as exc:  # noqa: BLE001 - every failure goes back to the crawl
            message = (job, False, f"{type(exc).__name__}: {exc}"[:300])
        try:
            with lock:
                answers.send(message)
        except OSError:
            pass  # the crawl is gone; what was stored stays stored

    cancel = True  # the crawl went away without a word (killed): stop with it
    while True:
        try:
            message = jobs.recv()
        except (EOFError, OSError):
            break
        if message[0] == "close":
            cancel = message[1]
            break
        job, kind, domain, *args = message
        if kind == "dns":
            future = lookups.submit(dnsenrich.lookup, resolver, domain)
        else:
            future = pool.submit(_enrich_and_store, store, run_id, config, ip_cache, domain,
                                 *args)
        future.add_done_callback(partial(answer, job))
    if cancel:
        # Lookups under way are dropped: their sites are not marked enriched, so a resumed
        # crawl asks them again. SQLite rolls back a write cut short.
        os._exit(0)
    lookups.shutdown(wait=True)
    pool.shutdown(wait=True)
    store.close()


if __name__ == "__main__":
    serve(Connection(int(sys.argv[1]), writable=False),
          Connection(int(sys.argv[2]), readable=False))
