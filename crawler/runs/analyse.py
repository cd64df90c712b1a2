"""`facade cluster`: features, fingerprints, evidence and clusters of a stored run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analysis.evidence.analyse import Analysis, analyse
from analysis.evidence.identity import carry_ids
from analysis.features import site_features
from analysis.records import SiteFeatures
from crawler.store import Store


@dataclass
class Derived:
    """Everything ``facade cluster`` derives from a run, in the shapes the store returns."""

    features: dict[str, dict[str, list[str]]]
    clusters: list[dict]
    links: list[dict]
    events: list[dict]
    result: Analysis
    texts: dict[str, str]


def derive(store: Store, run_id: int, config: dict,
           progress: Callable[[str], None] | None = None) -> Derived:
    """Features, fingerprints, evidence and clusters of ``run_id``, computed and not stored
    (``report`` of a run still crawling reads this; it never changes the run).
    ``progress(domain)`` is called as each site's features are read (the long part)."""
    features: list[SiteFeatures] = []
    for record in store.site_records(run_id):
        features.append(site_features(record, config))
        if progress is not None:
            progress(record.domain)
    result = analyse(features, config)
    events = _carry_cluster_ids(store, run_id, result)
    clusters = [{"id": c.id, "domains": c.domains, "evidence": [e.to_dict() for e in c.evidence],
                 "links": c.links, "provenance": {"copied_from": c.copied_from,
                                                  "likely_original": c.likely_original,
                                                  "near_misses": c.near_misses,
                                                  "threshold": config["link_threshold"]}}
                for c in result.clusters]
    values: dict[str, dict[str, list[str]]] = {}
    for f in features:
        for kind, found in f.values.items():
            values.setdefault(f.domain, {}).setdefault(kind, []).extend(found)
    return Derived(values, clusters, [e.to_dict() for e in result.evidence], events, result,
                   {f.domain: f.text for f in features})


def cluster_run(store: Store, run_id: int, config: dict,
                progress: Callable[[str], None] | None = None) -> Analysis:
    """Re-derive everything after the crawl for ``run_id`` and store it (idempotent)."""
    derived = derive(store, run_id, config, progress)
    result = derived.result
    store.replace_features(run_id, [
        (domain, kind, value) for domain, kinds in derived.features.items()
        for kind, values in kinds.items() for value in values
    ])
    store.replace_texts(run_id, [
        (d, text, result.fingerprints.get(d), result.scheme) for d, text in derived.texts.items()
    ])
    store.replace_clusters(run_id, derived.clusters, derived.links)
    store.replace_events(run_id, derived.events)
    store.set_run_state(run_id, "clustered")
    return result


def _carry_cluster_ids(store: Store, run_id: int, result: Analysis) -> list[dict]:
    """Give clusters the ids of the previous run's clusters they continue
    (analysis.evidence.identity)."""
    previous = store.previous_clustered_run(run_id)
    prev_clusters = store.clusters(previous) if previous else []
    ids, events = carry_ids(prev_clusters, [c.domains for c in result.clusters],
                            [c.evidence for c in result.clusters],
                            store.highest_cluster_number(run_id) + 1)
    for cluster, new_id in zip(result.clusters, ids, strict=True):
        cluster.id = new_id
    return [{**e, "since_run": previous} for e in events]
