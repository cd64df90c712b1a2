"""Text evidence at scale: 10,000 sites whose prose is drawn from one pool of marketing
sentences, 5% of them in families of copies, cluster into their families (no chaining)."""

from __future__ import annotations

import sys
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from phrase_corpus import make_corpus  # noqa: E402

from analysis.config import default_config
from analysis.evidence.analyse import analyse  # noqa: E402


def test_a_shared_phrase_pool_does_not_chain_sites_and_families_are_found():
    sites, truth = make_corpus(10_000, phrases=True)
    result = analyse(sites, default_config())
    assert max(len(c.domains) for c in result.clusters) <= 5
    predicted = {p for c in result.clusters for p in combinations(sorted(c.domains), 2)}
    true = {p for group in truth for p in combinations(sorted(group), 2)}
    precision = len(predicted & true) / len(predicted)
    recall = len(predicted & true) / len(true)
    assert precision >= 0.95 and recall >= 0.95, (precision, recall)
