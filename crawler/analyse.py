"""`facade cluster`: features, fingerprints, evidence and clusters of a stored run."""

from __future__ import annotations

from analysis.config import default_config
from analysis.features import site_features
from analysis.identity import carry_ids
from analysis.pipeline import Analysis, analyse
from analysis.records import SiteFeatures
from crawler.store import Store


def cluster_run(store: Store, run_id: int, config: dict | None = None) -> Analysis:
    """Re-derive everything after the crawl for ``run_id`` and store it (idempotent)."""
    config = config or default_config()
    features: list[SiteFeatures] = [site_features(r, config) for r in store.site_records(run_id)]
    store.replace_features(run_id, [
        (f.domain, kind, value) for f in features for kind, values in f.values.items()
        for value in values
    ])
    result = analyse(features, config)
    events = _carry_cluster_ids(store, run_id, result)
    texts = {f.domain: f.text for f in features}
    store.replace_texts(run_id, [
        (d, texts.get(d, ""), result.fingerprints.get(d), result.scheme) for d in texts
    ])
    store.replace_clusters(
        run_id,
        [{"id": c.id, "domains": c.domains, "evidence": [e.to_dict() for e in c.evidence],
          "links": c.links, "provenance": {"copied_from": c.copied_from,
                                           "likely_original": c.likely_original}}
         for c in result.clusters],
        [e.to_dict() for e in result.evidence],
    )
    store.replace_events(run_id, events)
    store.set_run_state(run_id, "clustered")
    return result


def _carry_cluster_ids(store: Store, run_id: int, result: Analysis) -> list[dict]:
    """Give clusters the ids of the previous run's clusters they continue (analysis.identity)."""
    previous = store.previous_clustered_run(run_id)
    prev_clusters = store.clusters(previous) if previous else []
    ids, events = carry_ids(prev_clusters, [c.domains for c in result.clusters],
                            [c.evidence for c in result.clusters],
                            store.highest_cluster_number(run_id) + 1)
    for cluster, new_id in zip(result.clusters, ids, strict=True):
        cluster.id = new_id
    return [{**e, "since_run": previous} for e in events]
