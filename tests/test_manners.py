"""Manners toward registries: per-server limits, backoff on rate limits, a cache across runs."""

import socket
import sqlite3
import threading
import time

import pytest

from crawler.enrich import manners, whois
from tests.conftest import facade

RECORD = (b"Domain Name: EXAMPLE.COM\r\nRegistrar: Tiny Registrar\r\n"
          b"Creation Date: 2024-01-02T03:04:05Z\r\nName Server: NS1.EXAMPLE.NET\r\n")


class CountingServer:
    """A WHOIS server on loopback that rate-limits the first ``limited`` queries, holds each
    connection ``hold`` seconds, and counts queries and the most connections at once."""

    def __init__(self, limited: int = 0, hold: float = 0.0):
        self.limited, self.hold = limited, hold
        self.queries = self.active = self.peak = 0
        self.lock = threading.Lock()
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.address = self.sock.getsockname()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn):
        with self.lock:
            self.queries += 1
            self.active += 1
            self.peak = max(self.peak, self.active)
            limited = self.queries <= self.limited
        conn.recv(1024)
        time.sleep(self.hold)
        conn.sendall(b"% Query limit exceeded, try again later\r\n" if limited else RECORD)
        # Counted as ended before the close: the client frees its slot when it reads the
        # close, and a busy machine could otherwise count its successor before this one.
        with self.lock:
            self.active -= 1
        conn.close()


@pytest.fixture
def fast_backoff():
    saved = manners.LIMITS
    manners.configure(per_server=2, backoff=(0.05, 0.1))
    yield
    manners.LIMITS = saved


def test_backoff_on_rate_limit_answers_then_success(fast_backoff):
    server = CountingServer(limited=2)
    fields = whois.lookup_domain("example.com", server.address, timeout=5)
    assert fields["registrar"] == "Tiny Registrar"
    assert server.queries == 3


def test_a_server_that_never_relents_is_a_clean_failure(fast_backoff):
    server = CountingServer(limited=100)
    with pytest.raises(whois.WhoisFailure, match="rate-limiting.*still after 3 tries"):
        whois.lookup_domain("example.com", server.address, timeout=5)
    assert server.queries == 3


def test_per_server_concurrency_limit(fast_backoff):
    server = CountingServer(hold=0.15)
    threads = [threading.Thread(target=whois.lookup_domain,
                                args=("example.com", server.address, 5)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert server.queries == 8 and server.peak == 2


@pytest.mark.e2e
def test_weekly_recrawl_asks_registries_nothing_new(lab, tmp_path):
    seeds = tmp_path / "s.txt"
    domains = [d for d, s in lab.world.sites.items() if s.role == "seed" and s.dns][:12]
    seeds.write_text("\n".join(domains) + "\n")
    db = str(tmp_path / "w.db")
    before = len(lab.world.lookups)
    facade("crawl", str(seeds), *lab.crawl_args(), "--db", db, "--quiet")
    first = lab.world.lookups[before:]
    asked = {q for _, q in first}
    assert any(d in q for q in asked for d in domains)
    middle = len(lab.world.lookups)
    facade("crawl", str(seeds), *lab.crawl_args(), "--db", db, "--quiet", "--new-run")
    assert lab.world.lookups[middle:] == []  # every registry answer came from the cache
    con = sqlite3.connect(db)
    rows = con.execute("select run_id, domain, source, json_extract(data, '$.registrar') from"
                       " enrichment where source in ('rdap', 'whois') and data != 'null'"
                       " order by domain, run_id").fetchall()
    by_run = {run: {(d, s, r) for rr, d, s, r in rows if rr == run} for run in (1, 2)}
    assert by_run[1] == by_run[2] and by_run[1]
    cached = con.execute("select count(*) from enrichment where run_id=2 and"
                         " json_extract(data, '$.cached_at') is not null").fetchone()[0]
    assert cached > 0
    third = len(lab.world.lookups)
    facade("crawl", str(seeds), *lab.crawl_args(), "--db", db, "--quiet", "--new-run",
           "--whois-cache-days", "0")
    assert lab.world.lookups[third:]  # no cache: asked again
