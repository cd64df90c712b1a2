"""`facade cluster`: features, fingerprints, evidence and clusters of a stored run.

The run's sites are read a batch at a time (crawler/store/readings.py), each page's reading
reused when the store has it (crawler/runs/readings.py). Once a batch's features are made,
its main texts are dropped (their shingles and signatures are all the text stage needs);
the few texts a copied-text link quotes are read back for it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from analysis.evidence.analyse import Analysis, analyse, compared
from analysis.evidence.identity import carry_ids
from analysis.features import site_features, without_text
from analysis.records import SiteFeatures
from analysis.text.shingle_table import ShingleTable
from analysis.text.shingles import DEFAULT_K, sorted_unique
from crawler.runs.feature_batches import feature_batches
from crawler.runs.heap import growing_heap
from crawler.runs.readings import PageReader
from crawler.store import Store

Batch = Callable[[list[SiteFeatures]], None]


@dataclass
class Derived:
    """Everything ``facade cluster`` derives from a run, in the shapes the store returns
    (``features``: only when no batch handler took them)."""

    features: dict[str, dict[str, list[str]]]
    events: list[dict]
    result: Analysis
    domains: list[str]
    config: dict

    @property
    def clusters(self) -> list[dict]:
        return list(cluster_rows(self.result, self.config))

    @property
    def links(self) -> list[dict]:
        return [e.to_dict() for e in self.result.evidence]


def cluster_rows(result: Analysis, config: dict) -> Iterator[dict]:
    """Each cluster as the store keeps it."""
    for c in result.clusters:
        yield {"id": c.id, "domains": c.domains, "evidence": [e.to_dict() for e in c.evidence],
               "links": c.links, "provenance": {"copied_from": c.copied_from,
                                                "likely_original": c.likely_original,
                                                "near_misses": c.near_misses,
                                                "threshold": config["link_threshold"]}}


def derive(store: Store, run_id: int, config: dict,
           progress: Callable[[str], None] | None = None, keep_readings: bool = False,
           on_batch: Batch | None = None) -> Derived:
    """Features, fingerprints, evidence and clusters of ``run_id``, computed and not stored
    (``report`` of a run still crawling reads this; it never changes the run); with
    ``keep_readings``, the page readings made on the way are kept (crawler/runs/readings.py).
    ``on_batch`` takes each batch's features (else they are returned whole);
    ``progress(domain)`` is called as each site's features are read."""
    with growing_heap():
        return _derive(store, run_id, config, progress, keep_readings, on_batch)


def _derive(store: Store, run_id: int, config: dict, progress: Callable[[str], None] | None,
            keep_readings: bool, on_batch: Batch | None) -> Derived:
    shed = config["text"]["shingle_words"] == DEFAULT_K  # stored shingles serve
    table = ShingleTable() if shed else None
    stage = read_features(store, run_id, config, progress, keep_readings, on_batch,
                          take=(lambda batch: _into_table(table, batch)) if shed else None)
    features, values, pages, read_s = stage
    with PageReader(store, keep=False) as reader:
        text_of = (lambda domains: _texts(store, run_id, config, reader, domains)) if shed \
            else None
        result = analyse(features, config, text_of, table)
    result.timings = {"features": round(read_s, 2), **result.timings}
    result.pages = pages
    domains = [f.domain for f in features]
    del features  # what is left of them is in the result; the previous run's clusters come next
    events = _carry_cluster_ids(store, run_id, result)
    return Derived(values, events, result, domains, config)


def read_features(store: Store, run_id: int, config: dict,
                  progress: Callable[[str], None] | None, keep_readings: bool,
                  on_batch: Batch | None, take: Batch | None = None):
    """The features stage: (every site's features, their values unless ``on_batch`` took
    them, pages read and reused, seconds); ``take`` sees each batch first (to keep what
    the text stage needs of it)."""
    started = time.perf_counter()
    features: list[SiteFeatures] = []
    values: dict[str, dict[str, list[str]]] = {}
    pages = {"read": 0, "reused": 0}
    for batch, read, reused in feature_batches(store, run_id, config, keep_readings):
        pages["read"] += read
        pages["reused"] += reused
        if take is not None:
            take(batch)
        for site in batch:
            if on_batch is None:
                values[site.domain] = {k: list(v) for k, v in site.values.items()}
            if progress is not None:
                progress(site.domain)
        if on_batch is not None:
            on_batch(batch)
        features += batch
    return features, values, pages, time.perf_counter() - started


def _into_table(table: ShingleTable, batch: list[SiteFeatures]) -> None:
    """Move the batch's compared sites' whole shingle sets into ``table`` and drop their
    texts (a site of several pages keeps its pages' sets, for containment)."""
    wholes = []
    for site in batch:
        without_text(site)
        if not compared(site):
            continue
        sets = [np.frombuffer(b, dtype=np.uint32) for b in site.page_shingles if b]
        wholes.append(sets[0] if len(sets) == 1 else sorted_unique(np.concatenate(sets)) if sets
                      else np.empty(0, dtype=np.uint32))
        if len(site.page_shingles) <= 1:
            site.page_shingles = []
    table.add(wholes)


def _texts(store: Store, run_id: int, config: dict, reader: PageReader,
           domains: list[str]) -> dict[str, str]:
    """The main texts of a few sites, read back (from their readings) for a quote."""
    out = {}
    for records in store.site_record_batches(run_id, domains=domains):
        source = reader.prepare(records)
        out.update((r.domain, site_features(r, config, source).text) for r in records)
    return out


def cluster_run(store: Store, run_id: int, config: dict,
                progress: Callable[[str], None] | None = None,
                spark: dict | None = None) -> Analysis:
    """Re-derive everything after the crawl for ``run_id`` and store it (idempotent);
    ``spark``: on the Spark engine, with these arguments of ``derive_on_spark`` (master,
    folder)."""
    store.clear_features(run_id)

    def keep(batch: list[SiteFeatures]) -> None:
        store.add_features(run_id, [(f.domain, kind, value) for f in batch
                                    for kind, found in f.values.items() for value in found])

    with growing_heap():  # through the store stage too: the results are all still held
        if spark is not None:
            from crawler.spark.engine import derive_on_spark

            derived = derive_on_spark(store, run_id, config, progress, keep_readings=True,
                                      on_batch=keep, **spark)
        else:
            derived = derive(store, run_id, config, progress, keep_readings=True,
                             on_batch=keep)
        result = derived.result
        started = time.perf_counter()
        store.replace_texts(run_id, (
            (d, None, result.fingerprints.get(d), result.scheme) for d in derived.domains
        ))  # the texts themselves are kept with the page readings
        store.replace_clusters(run_id, cluster_rows(result, config), derived.links)
        store.replace_events(run_id, derived.events)
        store.set_run_state(run_id, "clustered")
    result.timings["store"] = round(time.perf_counter() - started, 2)
    return result


def _carry_cluster_ids(store: Store, run_id: int, result: Analysis) -> list[dict]:
    """Give clusters the ids of the previous run's clusters they continue
    (analysis.evidence.identity)."""
    previous = store.previous_clustered_run(run_id)
    # The previous run's sites that stood alone are read as a domain -> id map, not a
    # cluster each: at a million sites, 15 s of a later week's `cluster` became 3.6 s.
    linked = store.linked_clusters(previous) if previous else []
    lone = store.lone_cluster_ids(previous) if previous else {}
    ids, events = carry_ids(linked, [c.domains for c in result.clusters],
                            [c.evidence for c in result.clusters],
                            store.highest_cluster_number(run_id) + 1, previous_lone=lone)
    for cluster, new_id in zip(result.clusters, ids, strict=True):
        cluster.id = new_id
    return [{**e, "since_run": previous} for e in events]
