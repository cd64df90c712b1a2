"""`facade cluster`: features, fingerprints, evidence and clusters of a stored run."""

from __future__ import annotations

from analysis.config import default_config
from analysis.features import site_features
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
    store.set_run_state(run_id, "clustered")
    return result
