"""Near-duplicate main text across a corpus: MinHash signatures, MinHashLSH candidates,
each candidate verified by its estimated Jaccard.

LSH runs below the decision threshold (its recall at the threshold itself is only about
0.87, see BASELINES.md); the verification step keeps precision.

Example:
    >>> sigs = {"a.com": signature(shingle_hashes("w%d " * 60 % tuple(range(60)))),
    ...         "b.com": signature(shingle_hashes("w%d " * 60 % tuple(range(60))))}
    >>> [(a, b) for a, b, _ in near_duplicates(sigs, threshold=0.5, lsh_threshold=0.3)]
    [('a.com', 'b.com')]
"""

from __future__ import annotations

from datasketch import MinHash, MinHashLSH

from analysis.minhash import NUM_PERM, signature  # noqa: F401  (signature: doctest)
from analysis.shingles import shingle_hashes  # noqa: F401


def near_duplicates(
    signatures: dict[str, MinHash], threshold: float, lsh_threshold: float
) -> list[tuple[str, str, float]]:
    """Pairs (a, b, estimated Jaccard) with a < b and Jaccard >= ``threshold``."""
    lsh = MinHashLSH(threshold=lsh_threshold, num_perm=NUM_PERM)
    for key, sig in signatures.items():
        lsh.insert(key, sig)
    pairs: list[tuple[str, str, float]] = []
    for key, sig in signatures.items():
        for other in lsh.query(sig):
            if other <= key:
                continue
            jaccard = sig.jaccard(signatures[other])
            if jaccard >= threshold:
                pairs.append((key, other, round(jaccard, 3)))
    return sorted(pairs)


def text_weight(jaccard: float, text_cfg: dict) -> float:
    """Weight of a near-duplicate pair: ``base`` at the threshold up to ``base + bonus``."""
    t = text_cfg["threshold"]
    return round(text_cfg["base"] + text_cfg["bonus"] * (jaccard - t) / max(1e-9, 1 - t), 4)
