"""A run crawled by many workers from a shared Redis frontier into a shared PostgreSQL store,
against the lab world: real Redis, real PostgreSQL, real `facade worker` processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict

import pytest

from crawler.frontier.limits import SharedSlots, wait_before
from crawler.frontier.queue import Frontier, connect
from crawler.store import Store
from tests.conftest import ROOT, facade, guarded_env

pytestmark = pytest.mark.e2e


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "crawler.cli", *args], cwd=ROOT,
                            env=guarded_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)


def _finish(proc: subprocess.Popen, timeout: float = 600) -> str:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"{proc.args[3:5]} failed ({proc.returncode}):\n{out}\n{err}"
    return out


def _wait_for_run(frontier_url: str) -> None:
    frontier = Frontier(frontier_url)
    deadline = time.monotonic() + 60
    while frontier.run() is None:
        assert time.monotonic() < deadline, "the crawl never queued its run"
        time.sleep(0.1)


def _clusters(report: dict) -> list[list[str]]:
    return sorted(sorted(c["domains"]) for c in report["clusters"])


def test_three_workers_give_the_clusters_of_a_single_crawl(lab, lab_run, postgres,
                                                            redis_server, tmp_path):
    url = postgres.create_database("three_workers")
    redis_server_url = redis_server.url
    coordinator = _start("crawl", str(lab.seeds_file), *lab.crawl_args(), "--timeout", "10",
                         "--reference", str(lab.references_file), "--db", url,
                         "--frontier", redis_server_url, "--quiet", "--delay", "0.3",
                         "--concurrency", "2")  # a worker then holds 16 sites: all 3 get some
    _wait_for_run(redis_server_url)
    served = len(lab.proxy.served_at)
    workers = [_start("worker", "--frontier", redis_server_url, "--db", url, "--quiet")
               for _ in range(3)]
    crawled = [int(_finish(w).split(", ")[1].split()[0]) for w in workers]
    summary = _finish(coordinator)
    assert "run 1: 140 sites" in summary and "+ 2 references" in summary
    assert sum(crawled) == 142 and all(crawled), crawled  # each worker did its share
    facade("cluster", "--db", url)
    facade("report", "--db", url, "--format", "json", "-o", str(tmp_path / "r.json"))
    report = json.loads((tmp_path / "r.json").read_text())
    assert _clusters(report) == _clusters(lab_run["report"])
    statuses = {s["domain"]: s["status"] for s in report["sites"]}
    assert statuses == {s["domain"]: s["status"] for s in lab_run["report"]["sites"]}
    # --delay holds per host across the three workers: k requests to one host span at least
    # (k - 1) x the delay. The delay is kept between requests as they leave; a host sees the
    # first one late by its connection's set-up (a tunnel and TLS), hence the allowance.
    times: dict[str, list[float]] = defaultdict(list)
    for at, host in lab.proxy.served_at[served:]:
        times[host].append(at)
    short = [(host, j - i, round(ts[j] - ts[i], 3)) for host, ts in times.items()
             for i in range(len(ts)) for j in range(i + 1, len(ts))
             if ts[j] - ts[i] < (j - i) * 0.3 - 0.25]
    assert len(times) > 100 and not short, short[:5]
    assert Frontier(redis_server_url).run() is None  # the run is over: nothing left queued


def test_a_worker_killed_with_9_loses_no_site(fault_lab, postgres, redis_server):
    url = postgres.create_database("killed_worker")
    frontier_url = redis_server.url.replace("/0", "/1")
    args = [*fault_lab.crawl_args(), "--timeout", "4"]
    coordinator = _start("crawl", str(fault_lab.seeds_file), *args, "--db", url, "--frontier",
                         frontier_url, "--quiet")
    _wait_for_run(frontier_url)
    victim = _start("worker", "--frontier", frontier_url, "--db", url, "--quiet")
    frontier = Frontier(frontier_url)
    deadline = time.monotonic() + 60
    while frontier.in_hand() < 20:  # the victim holds sites, some of them unfinished
        assert time.monotonic() < deadline and victim.poll() is None
        time.sleep(0.05)
    held = frontier.in_hand()
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    survivors = [_start("worker", "--frontier", frontier_url, "--db", url, "--quiet")
                 for _ in range(2)]
    crawled = sum(int(_finish(w).split(", ")[1].split()[0]) for w in survivors)
    summary = _finish(coordinator)
    assert "run 1:" in summary
    store = Store(url, create=False)
    finished, total = store.finished_count(1)
    assert finished == total == len(fault_lab.world.ground_truth()["sites"])
    assert store.run_info(1)["state"] == "crawled"
    assert crawled and held  # the survivors took the sites back from the frontier
    judged_later = {"parked": "ok", "seized": "ok"}
    want = {s["domain"]: judged_later.get(s["expected_status"], s["expected_status"])
            for s in fault_lab.world.ground_truth()["sites"]}
    assert {s["domain"]: s["status"] for s in store.sites(1)} == want


def test_registry_slots_are_shared_by_every_worker(redis_server):
    import threading

    from crawler.frontier.limits import RedisServerLimits

    workers = [RedisServerLimits(redis_server.url, per_server=1) for _ in range(2)]
    held, order = threading.Event(), []
    release = threading.Event()

    def first():
        with workers[0].slot("whois:whois.test:43"):
            held.set()
            order.append("first in")
            release.wait(5)
            order.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(5)
    threading.Timer(0.3, release.set).start()
    with workers[1].slot("whois:whois.test:43"):  # waits for the other worker's query
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]


def test_limits_kept_in_redis_hold_across_processes(redis_server):
    one, other = connect(redis_server.url), connect(redis_server.url)
    a = SharedSlots(one, "host:limits.test", 2, lease=1.0)
    b = SharedSlots(other, "host:limits.test", 2, lease=1.0)
    first, second = a.try_acquire(), b.try_acquire()
    assert first and second and a.try_acquire() is None and b.try_acquire() is None
    b.release(second)
    assert a.try_acquire() is not None
    time.sleep(1.1)  # a holder killed with its slot: the lease runs out
    assert b.try_acquire() is not None
    waits = [wait_before(one if i % 2 else other, "host:delay.test", 0.5) for i in range(4)]
    assert waits[0] == 0 and all(abs(w - 0.5 * i) < 0.1 for i, w in enumerate(waits))
