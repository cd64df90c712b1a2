"""MinHash signatures of shingle sets (datasketch 2.x, fixed parameters).

The scheme string is stored with every signature: signatures from another datasketch major
version, permutation count or seed are not comparable.

Example:
    >>> import numpy as np
    >>> a = signature(np.arange(100, dtype=np.uint32))
    >>> b = signature(np.arange(50, 150, dtype=np.uint32))
    >>> 0.2 < a.jaccard(b) < 0.5
    True
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import MinHash

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
SCHEME_ID = f"datasketch2-{SCHEME}-p{NUM_PERM}-s{SEED}"
_CHUNK = 1 << 15  # shingles x 128 permutations x 4 bytes: 16 MB at a time


@cache
def _scheme():
    """datasketch's template MinHash, its permutations and its mixer, imported when first
    used (datasketch brings scipy: half a second a crawl never needs)."""
    from datasketch import MinHash
    from datasketch.minhash import _fmix  # the scheme's own mixer: the same values

    template = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)
    a, b = template.permutations
    return template, a, b, _fmix


def signature_values(shingles: np.ndarray) -> np.ndarray:
    """The 128 MinHash values of pre-hashed 32-bit shingles, computed as datasketch's
    ``update_batch`` does for the affine32 scheme (its mixer, permutations and wrapping
    32-bit arithmetic: bit for bit the same values), without a Python call per shingle."""
    template, a, b, fmix = _scheme()
    values = template.hashvalues.copy()
    for start in range(0, len(shingles), _CHUNK):
        hv = fmix(np.asarray(shingles[start:start + _CHUNK], dtype=np.uint32).reshape(-1, 1),
                  32)
        values = np.minimum(values, (hv * a + b).min(axis=0))
    return values


def signature(shingles: np.ndarray) -> MinHash:
    """A MinHash of pre-hashed 32-bit shingles (the hash is the identity: they are hashed)."""
    m = _scheme()[0].copy()
    m.hashvalues = signature_values(shingles)
    return m


def to_bytes(m: MinHash | np.ndarray) -> bytes:
    """A signature (a MinHash, or its values) as stored."""
    return np.asarray(getattr(m, "hashvalues", m), dtype=np.uint32).tobytes()


def from_bytes(data: bytes) -> MinHash:
    from datasketch import MinHash

    values = np.frombuffer(data, dtype=np.uint32).copy()
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=values, hashfunc=int)


def stored_jaccard(a: bytes, b: bytes) -> float:
    """The estimated Jaccard of two stored signatures, read straight from their bytes (no
    MinHash object, whose permutations cost 55% of a diff at 100k sites)."""
    left, right = np.frombuffer(a, dtype=np.uint32), np.frombuffer(b, dtype=np.uint32)
    if len(left) != len(right) or not len(left):
        raise ValueError("signatures of different schemes are not comparable")
    return float(np.count_nonzero(left == right)) / len(left)
