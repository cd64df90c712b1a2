"""One run crawled by many workers: the coordinator queues it and waits; each worker claims
sites and crawls them with the same machinery as a single crawl (crawler/crawl/driver.py).

The store is the truth: a worker acknowledges a claimed site only once the store holds it
finished, and the coordinator finishes the run only when the frontier is drained and the
store has no unfinished site (one it does have is queued again).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from crawler.crawl.dns_gate import DnsGate
from crawler.crawl.driver import _run_rounds, _run_to_resume, run_sites, summarise
from crawler.crawl.options import CrawlOptions, CrawlSummary
from crawler.crawl.signals import Interrupted, StopSignal, _Stop
from crawler.enrich.worker import EnrichmentLost, EnrichWorker
from crawler.frontier.queue import Frontier, FrontierError, Heartbeat, worker_name
from crawler.store import Store, StoreError
from crawler.store.postgres import shown

POLL = 0.2  # seconds between a worker's looks at the frontier while it waits
COORDINATOR_POLL = 1.0  # ... and the coordinator's (progress, and whether the run is done)
ACK_EVERY = 0.5


def coordinate(seeds_path: str | Path, db: str, opts: CrawlOptions, progress_factory=None,
               resume: str = "auto") -> CrawlSummary:
    """Queue a run's sites in the frontier (or those of the interrupted run it finishes),
    wait until workers have crawled every one, and finish the run."""
    frontier = Frontier(opts.frontier)
    sites, warnings = run_sites(seeds_path, opts)
    store = Store(db)
    run_id = _run_to_resume(store, seeds_path, opts, resume)
    resumed = run_id is not None
    published = frontier.run() or {}
    if run_id is None:
        run_id = store.create_run(opts.label, opts.public(), str(seeds_path), warnings,
                                  [asdict(s) for s in sites])
        domains = [s.domain for s in sites]
    elif published.get("run_id") == run_id:
        domains = store.unfinished_domains(run_id)  # workers may be on them: left to them
    else:
        domains = store.reset_incomplete(run_id)
    run = {"run_id": run_id, "options": opts.public(), "seeds_file": str(seeds_path)}
    frontier.publish(run, domains)
    progress = progress_factory(len(domains)) if progress_factory else None
    with StopSignal() as stop:
        try:
            _wait_for_workers(frontier, store, run, progress, stop)
        except _Stop:
            raise Interrupted(run_id, stop.signum, *store.finished_count(run_id)) from None
    if opts.archive_fallback is not None:
        from crawler.archive.crawl import fallback_to_archive
        from crawler.crawl.driver import _archive_reader

        fallback_to_archive(store, run_id, _archive_reader(store, opts, opts.archive_fallback))
    store.set_run_state(run_id, "crawled", finished=True)
    frontier.finish(run_id)
    summary = summarise(store, run_id, warnings, resumed, len(domains))
    store.close()
    return summary


def _wait_for_workers(frontier: Frontier, store: Store, run: dict, progress,
                      stop: StopSignal) -> None:
    run_id = run["run_id"]
    shown_done = 0
    while True:
        if stop.signum:
            raise _Stop
        frontier.republish(run)
        finished, total = store.finished_count(run_id)
        if progress:
            for _ in range(finished - shown_done):
                progress("", "done")
            shown_done = finished
        if frontier.drained():
            left = store.unfinished_domains(run_id)
            if not left:
                return
            frontier.requeue(left)  # in no worker's hands: queued again
        time.sleep(COORDINATOR_POLL)


@dataclass
class WorkerSummary:
    name: str
    run_id: int
    crawled: int
    seconds: float


def serve(frontier_url: str, db: str, quiet: bool = True, wait: float = 0) -> WorkerSummary:
    """Crawl sites of the frontier's run until it is drained. ``wait``: seconds to wait
    for a run to be queued (0: as long as it takes)."""
    frontier = Frontier(frontier_url)
    run = _published_run(frontier, wait, quiet)
    opts = CrawlOptions.from_public(run["options"], frontier=frontier_url)
    run_id = int(run["run_id"])
    store = Store(db, create=False)
    try:
        state = store.run_info(run_id)["state"]
    except IndexError:
        raise StoreError(f"{store.path}: no run {run_id}, the frontier's run (is --db the"
                         " database `facade crawl --frontier` was given?)") from None
    if state != "crawling":
        raise StoreError(f"{store.path}: run {run_id} is already {state}")
    name = worker_name()
    started = time.monotonic()
    claimed: list[str] = []
    try:
        with Heartbeat(frontier, name), _Acks(frontier, store, run_id, name):
            worker = EnrichWorker(store.location, run_id, opts)
            with StopSignal() as stop:
                try:
                    _crawl_claims(frontier, store, run_id, opts, worker, name, stop, claimed)
                    if stop.signum:
                        raise _Stop
                    if worker.lost:
                        raise EnrichmentLost(f"{worker.lost}: its sites return to the"
                                             " frontier")
                    worker.close()
                except _Stop:
                    worker.close(cancel=True)
                    finished, total = store.finished_count(run_id)
                    raise Interrupted(run_id, stop.signum, finished, total, (
                        f"interrupted: this worker's unfinished sites go back to the frontier"
                        f" for the other workers (run {run_id}: {finished} of {total} sites"
                        " finished)")) from None
                except BaseException:
                    worker.close(cancel=True)
                    raise
    finally:
        frontier.leave(name)  # what it did not finish goes to the other workers at once
    store.close()
    return WorkerSummary(name, run_id, len(claimed), time.monotonic() - started)


def _published_run(frontier: Frontier, wait: float, quiet: bool) -> dict:
    deadline = time.monotonic() + wait
    told = False
    while (run := frontier.run()) is None:
        if wait and time.monotonic() > deadline:
            raise FrontierError(f"{frontier.url}: no run queued (`facade crawl SEEDS"
                                " --frontier URL` queues one)")
        if not quiet and not told:
            print(f"waiting for a run to be queued in {frontier.url}", file=sys.stderr)
            told = True
        time.sleep(POLL)
    return run


def _crawl_claims(frontier: Frontier, store: Store, run_id: int, opts: CrawlOptions,
                  worker: EnrichWorker, name: str, stop: StopSignal, claimed: list) -> None:
    """Rounds of the single crawl, each over the sites claimed while it runs; between
    rounds, wait while other workers hold sites that may come back to the queue."""

    def claims() -> Iterator[str]:
        while not stop.signum and (domain := frontier.claim(name)) is not None:
            if store.finished_domains(run_id, [domain]):  # a dead worker finished it
                frontier.ack(name, [domain])
                continue
            claimed.append(domain)
            yield domain

    def gate() -> DnsGate:
        return DnsGate(store, run_id, claims(), worker, opts.allow_private, None,
                       tuple(opts.networks()), addresses=addresses,
                       ahead=4 * opts.concurrency)  # claimed for their DNS ahead of the crawl

    def next_gate() -> DnsGate | None:
        while not stop.signum and not worker.lost:
            if frontier.queued():
                return gate()
            if frontier.drained():
                return None
            time.sleep(POLL)
        return None

    addresses: dict[str, list[str]] = {}
    first = next_gate()
    if first is not None:
        _run_rounds(store, run_id, first, opts, None, None, next_gate, stop)


class _Acks:
    """A thread acknowledging the worker's claimed sites as the store finishes them."""

    def __init__(self, frontier: Frontier, store: Store, run_id: int, name: str):
        self.args = frontier, store, run_id, name
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="facade-acks", daemon=True)

    def ack_finished(self) -> None:
        frontier, store, run_id, name = self.args
        held = frontier.claimed(name)
        if held:
            frontier.ack(name, store.finished_domains(run_id, held))

    def _loop(self) -> None:
        while not self._stop.wait(ACK_EVERY):
            try:
                self.ack_finished()
            except Exception:  # noqa: BLE001 - the next round tries again
                pass

    def __enter__(self) -> _Acks:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        if exc[0] is None:
            self.ack_finished()


__all__ = ["coordinate", "serve", "WorkerSummary", "shown"]
