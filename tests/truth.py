"""Scoring clusters against the lab world's ground truth: pairwise precision and recall."""

from __future__ import annotations

from itertools import combinations


def pairs_of(groups: list[list[str]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in combinations(g, 2)}


def pairwise_scores(report: dict, truth: dict) -> tuple[float, float]:
    """(precision, recall) of the report's clusters over the sites it crawled ``ok``."""
    ok = {s["domain"] for s in report["sites"] if s["status"] == "ok"}
    predicted = pairs_of([[d for d in c["domains"] if d in ok] for c in report["clusters"]])
    families = [[d for d in f["domains"] if d in ok] for f in truth["families"].values()]
    true = pairs_of(families)
    tp = len(predicted & true)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(true) if true else 1.0
    return precision, recall
