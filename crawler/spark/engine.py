"""`facade cluster --engine spark`: the run's features made as by the default engine, a
batch at a time, and written to Parquet; the corpus-wide stages (common passages, MinHash
LSH candidates and their verification, shared values and their commons by count, pair
kinds, pair scores, connected components) computed by Spark from that export; the clusters
assembled, given their provenance and ids, and stored as by the default engine.

Example:
    >>> derived = derive_on_spark(store, run_id, config, folder=tmp)  # doctest: +SKIP
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from analysis.evidence.analyse import (
    Analysis,
    Laps,
    add_provenance,
    compared,
    copied_evidence,
)
from analysis.evidence.cluster import assemble, scored_pairs
from analysis.records import SiteFeatures
from analysis.text.copied_text import TextSource, quoted, shingle_units
from analysis.text.minhash import to_bytes
from analysis.text.shingles import DEFAULT_K
from crawler.runs.analyse import Batch, Derived, _carry_cluster_ids, _texts, read_features
from crawler.runs.readings import PageReader
from crawler.spark.evidence import connected_groups, pair_evidence, pair_scores, value_evidence
from crawler.spark.export import ParquetExport
from crawler.spark.session import spark_session
from crawler.spark.text import copied_links
from crawler.store import Store

SITES_PER_PARTITION = 10_000  # of the shuffles' partitions: a million sites make 100


def derive_on_spark(store: Store, run_id: int, config: dict,
                    progress: Callable[[str], None] | None = None, keep_readings: bool = False,
                    on_batch: Batch | None = None, folder: str | Path | None = None,
                    master: str | None = None) -> Derived:
    """What ``crawler.runs.analyse.derive`` gives, with the corpus-wide stages on Spark;
    ``folder``: where the Parquet export is written (and kept), else a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="facade-spark-") as scratch:
        return _derive(store, run_id, config, progress, keep_readings, on_batch,
                       Path(folder or scratch), master)


def _derive(store, run_id, config, progress, keep_readings, on_batch, folder: Path,
            master: str | None) -> Derived:
    text_cfg = config["text"]
    shed = text_cfg["shingle_words"] == DEFAULT_K  # stored shingles serve
    export = ParquetExport(folder)
    signatures: dict[str, np.ndarray] = {}

    def take(batch: list[SiteFeatures]) -> None:
        for site in batch:
            if compared(site):
                _export(export, site, text_cfg, signatures)

    features, values, pages, read_s = read_features(store, run_id, config, progress,
                                                    keep_readings, on_batch, take)
    export.close()
    partitions = max(16, export.sites // SITES_PER_PARTITION)
    with PageReader(store, keep=False) as reader, spark_session(master, partitions) as spark:
        text_of = (lambda domains: _texts(store, run_id, config, reader, domains)) if shed \
            else None
        result = analyse_on_spark(spark, folder, features, config, signatures, text_of)
    result.timings = {"features": round(read_s, 2), **result.timings}
    result.pages = pages
    domains = [f.domain for f in features]
    del features
    events = _carry_cluster_ids(store, run_id, result)
    return Derived(values, events, result, domains, config)


def _export(export: ParquetExport, site: SiteFeatures, text_cfg: dict,
            signatures: dict[str, np.ndarray]) -> None:
    """One compared site into the export; its fingerprint kept (the whole text's MinHash,
    when long enough); its shingles then dropped from memory."""
    from analysis.evidence.analyse import signatures_of

    wholes, pages = shingle_units([site], text_cfg["shingle_words"])
    found = signatures_of([site], text_cfg, wholes)
    if site.domain in found:
        signatures[site.domain] = found[site.domain]
    export.add(site, wholes[0], pages[0])
    site.page_shingles, site.page_signatures = [], []


def analyse_on_spark(spark, folder: Path, sites: list[SiteFeatures], config: dict,
                     signatures: dict[str, np.ndarray], text_of: TextSource | None
                     ) -> Analysis:
    """``analysis.evidence.analyse.analyse`` with its corpus-wide stages on Spark."""
    ok = [s for s in sites if compared(s)]
    references = [s for s in sites if s.status == "ok" and s.role == "reference"]
    lap = Laps()

    text_cfg = config["text"]
    if text_of is None:
        by_domain = {s.domain: s for s in ok}
        text_of = lambda domains: {d: by_domain[d].text for d in domains}  # noqa: E731
    linked = copied_links(spark, folder, len(ok), text_cfg)
    evidence = [copied_evidence(p, text_cfg)
                for p in quoted(linked, text_of, text_cfg["shingle_words"])]
    blobs = {d: to_bytes(s) for d, s in signatures.items()}
    lap("text")
    evidence += value_evidence(spark, folder, config, len(ok))
    evidence += pair_evidence(spark, folder, evidence, config)
    lap("values")
    members = {s.domain for s in ok}
    links, below = scored_pairs(pair_scores(spark, evidence, config["link_threshold"]),
                                members, config["link_threshold"])
    clusters = assemble(connected_groups(spark, members, links), links, below, evidence)
    blobs.update(add_provenance(clusters, ok, signatures, references, config))
    lap("clusters")
    return Analysis(clusters=clusters, evidence=evidence, fingerprints=blobs, timings=lap.timings)
