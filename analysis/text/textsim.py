"""Near-duplicate main text across a corpus: MinHash signatures, LSH candidates (the
banding of datasketch's MinHashLSH, over the signature matrix), each candidate verified by
its estimated Jaccard.

LSH runs well below the decision threshold (at the threshold itself its recall is only
about 0.87, see BASELINES.md): with 64 bands of 2 rows, a pair at Jaccard 0.25 is a
candidate with probability 0.98. Candidates are then verified in one vectorised pass over
the signature matrix, which keeps precision and costs microseconds per candidate.

Example:
    >>> from analysis.text.minhash import signature
    >>> from analysis.text.shingles import shingle_hashes
    >>> words = " ".join(f"w{i}" for i in range(60))
    >>> sigs = {"a.com": signature(shingle_hashes(words)),
    ...         "b.com": signature(shingle_hashes(words))}
    >>> [(a, b) for a, b, _ in near_duplicates(sigs, threshold=0.5)]
    [('a.com', 'b.com')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from analysis.text.minhash import NUM_PERM
from analysis.text.shingles import sorted_unique

if TYPE_CHECKING:
    from datasketch import MinHash

DEFAULT_BANDS, DEFAULT_ROWS = 64, 2
_CHUNK = 200_000


def candidate_pairs(signatures: list[MinHash] | np.ndarray, bands: int, rows: int,
                    max_bucket: int | None = None) -> np.ndarray:
    """Index pairs (i < j) that share at least one LSH band (``rows`` equal values), as an
    (n, 2) array: the candidates MinHashLSH gives, found by sorting each band's keys over the
    signature matrix (3.6x faster than MinHashLSH at 20k signatures, the same pairs).

    With ``max_bucket``, a band bucket of more members than that gives each member paired
    with the bucket's first (a star) instead of every pair. Phrasing that hundreds of sites
    share without being common fills such buckets, and their pairs grow with the square of
    the run (at a million sites, hundreds of millions of candidates that verification
    rejects); a real family of copies that large is still joined, through the star."""
    matrix = signatures if isinstance(signatures, np.ndarray) else (
        np.vstack([s.hashvalues for s in signatures]) if len(signatures) else
        np.empty((0, NUM_PERM), dtype=np.uint32))
    found = []
    for band in range(bands):
        cols = matrix[:, band * rows:(band + 1) * rows]
        if rows <= 2:  # two 32-bit values pack into one 64-bit key
            key = cols[:, 0].astype(np.uint64)
            if rows == 2:
                key = (key << np.uint64(32)) | cols[:, 1].astype(np.uint64)
        else:
            key = np.unique(cols, axis=0, return_inverse=True)[1].astype(np.uint64).ravel()
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        sizes = np.diff(np.r_[starts, len(order)])
        found += _bucket_pairs(order, starts, sizes, max_bucket)
    if not found:
        return np.empty((0, 2), dtype=np.int64)
    return unique_pairs(np.concatenate(found).astype(np.int64), len(matrix))


def unique_pairs(pairs: np.ndarray, n: int) -> np.ndarray:
    """The distinct rows of an (m, 2) array of indices below ``n``, sorted: each pair as one
    int64 (i * n + j keeps the order), made unique by sorting (np.unique over rows was most
    of the LSH stage at a million sites)."""
    codes = sorted_unique(pairs[:, 0].astype(np.int64) * n + pairs[:, 1])
    return np.stack([codes // n, codes % n], axis=1)


def _bucket_pairs(order: np.ndarray, starts: np.ndarray, sizes: np.ndarray,
                  max_bucket: int | None) -> list[np.ndarray]:
    """The pairs of one band's buckets (``order[start:start + size]``), all buckets of one
    size at a time: a million buckets at a million sites, too many for a loop each."""
    out = []
    crowded = sizes > max_bucket if max_bucket is not None else np.zeros(len(sizes), bool)
    for start, size in zip(starts[crowded], sizes[crowded], strict=True):
        members = np.sort(order[start:start + size])
        out.append(np.stack([np.full(size - 1, members[0]), members[1:]], axis=1))
    for size in np.unique(sizes[(sizes > 1) & ~crowded]):
        first = starts[sizes == size]
        members = np.sort(order[first[:, None] + np.arange(size)], axis=1)
        i, j = np.triu_indices(size, 1)
        out.append(np.stack([members[:, i].ravel(), members[:, j].ravel()], axis=1))
    return out


def near_duplicates(signatures: dict[str, MinHash], threshold: float,
                    bands: int = DEFAULT_BANDS, rows: int = DEFAULT_ROWS
                    ) -> list[tuple[str, str, float]]:
    """Pairs (a, b, estimated Jaccard) with a < b and Jaccard >= ``threshold``."""
    keys = list(signatures)
    sigs = [signatures[k] for k in keys]
    if len(sigs) < 2:
        return []
    matrix = np.vstack([s.hashvalues for s in sigs])
    pairs = candidate_pairs(matrix, bands, rows)
    found: list[tuple[str, str, float]] = []
    for start in range(0, len(pairs), _CHUNK):
        chunk = pairs[start : start + _CHUNK]
        est = (matrix[chunk[:, 0]] == matrix[chunk[:, 1]]).mean(axis=1)
        for (i, j), jaccard in zip(chunk[est >= threshold], est[est >= threshold], strict=True):
            a, b = sorted((keys[i], keys[j]))
            found.append((a, b, round(float(jaccard), 3)))
    return sorted(found)


def text_weight(pair, text_cfg: dict) -> float:
    """Weight of a copied pair: ``base`` at a threshold up to ``base + bonus`` at 1.0, by its
    Jaccard or its containment, whichever stands higher above its own threshold."""
    def above(value: float, threshold: float) -> float:
        return max(0.0, (value - threshold) / max(1e-9, 1 - threshold))

    rise = max(above(pair.jaccard, text_cfg["threshold"]),
               above(pair.containment, text_cfg["containment_threshold"]))
    return round(text_cfg["base"] + text_cfg["bonus"] * rise, 4)
