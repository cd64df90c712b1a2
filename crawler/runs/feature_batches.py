"""A run's sites turned into features a batch at a time, on every core.

Each batch is read from the store, its pages' readings looked up (and the missing ones
read), and its features made. A small run does this in the process itself (reading missing
pages on every core, crawler/runs/readings.py); a large one hands batches to one process per
core, each with its own connection to the store, and takes their features back in order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from analysis.features import site_features, without_text
from analysis.records import SiteFeatures
from analysis.text.shingles import DEFAULT_K
from crawler.runs.heap import collecting
from crawler.runs.readings import PageReader
from crawler.store import Store

PARALLEL_FROM = 20_000  # sites: a smaller run is read in this process
BATCH = 2000

Batch = tuple[list[SiteFeatures], int, int]  # features, pages read now, pages reused
_STORES: dict[str, Store] = {}  # a worker's connection, opened at its first batch


def _features(records, config: dict, reader: PageReader) -> list[SiteFeatures]:
    source = reader.prepare(records)
    out = [site_features(record, config, source) for record in records]
    if config["text"]["shingle_words"] == DEFAULT_K:  # stored shingles serve the text stage
        for site in out:
            without_text(site)
    return out


def _batch_in_worker(job: tuple[str, int, list[str], dict, bool]) -> Batch:
    path, run_id, domains, config, keep = job
    store = _STORES.get(path)
    if store is None:
        store = _STORES[path] = Store(path, create=False)
    with PageReader(store, keep=keep, workers=1) as reader:
        out: list[SiteFeatures] = []
        for records in store.site_record_batches(run_id, domains=domains):
            out += _features(records, config, reader)
        return out, reader.read_now, reader.reused


def feature_batches(store: Store, run_id: int, config: dict, keep_readings: bool,
                    workers: int | None = None) -> Iterator[Batch]:
    """The run's sites' features in domain order, a batch at a time (texts dropped when
    their stored shingles serve); ``keep_readings``: store the readings made."""
    workers = max(1, workers or os.cpu_count() or 1)
    if workers == 1 or store.site_count(run_id) < PARALLEL_FROM:
        with PageReader(store, keep=keep_readings, workers=workers) as reader:
            for records in store.site_record_batches(run_id, BATCH):
                read, reused = reader.read_now, reader.reused
                out = _features(records, config, reader)
                yield out, reader.read_now - read, reader.reused - reused
        return
    domains = store.site_domains(run_id)
    jobs = [(store.location, run_id, domains[i:i + BATCH], config, keep_readings)
            for i in range(0, len(domains), BATCH)]
    # fork: the workers start with facade imported; each opens its own connection.
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                             initializer=collecting) as pool:
        yield from pool.map(_batch_in_worker, jobs)
