"""Every compared site's shingle set, held as a few flat arrays rather than one array each.

At a million sites the shingle sets are the largest thing the text stage holds (some 400
million 32-bit hashes). A table keeps them a batch at a time in one flat array with offsets
(compressed sparse rows), so a site costs its hashes and one offset, and the two passes
over all of them (finding the common shingles, dropping them) are vectorised per batch and
never need a second copy of the whole: common shingles are counted one slice of the hash
space at a time.

Example:
    >>> import numpy as np
    >>> table = ShingleTable()
    >>> table.add([np.array([1, 2, 3], np.uint32), np.array([2, 3, 4], np.uint32)])
    >>> table.add([np.array([3, 5], np.uint32)])
    >>> table.common(limit=2).tolist()
    [3]
    >>> table.drop(table.common(limit=2))
    >>> [s.tolist() for s in table]
    [[1, 2], [2, 4], [5]]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator

import numpy as np

from analysis.text.shingles import in_sorted, sorted_unique

SLICES = 16  # the hash space is counted in this many slices (each 1/16 of the hashes)


class ShingleTable:
    """Sorted unique uint32 shingle sets, one per site, in the order they were added."""

    def __init__(self) -> None:
        self._flat: list[np.ndarray] = []     # per batch: every set's hashes, one after another
        self._offsets: list[np.ndarray] = []  # per batch: where each set starts, and the end
        self._starts: list[int] = []          # the index of each batch's first set

    def add(self, sets: list[np.ndarray]) -> None:
        """Append a batch of sets (each sorted and unique)."""
        self._starts.append(len(self))
        sizes = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
        self._offsets.append(np.concatenate([[0], np.cumsum(sizes)]))
        self._flat.append(np.concatenate(sets).astype(np.uint32, copy=False) if len(sets)
                          else np.empty(0, dtype=np.uint32))

    def __len__(self) -> int:
        return self._starts[-1] + len(self._offsets[-1]) - 1 if self._starts else 0

    def __getitem__(self, index: int) -> np.ndarray:
        if not 0 <= index < len(self):
            raise IndexError(index)
        batch = bisect_right(self._starts, index) - 1
        row = index - self._starts[batch]
        offsets = self._offsets[batch]
        return self._flat[batch][offsets[row]:offsets[row + 1]]

    def __iter__(self) -> Iterator[np.ndarray]:
        for flat, offsets in zip(self._flat, self._offsets, strict=True):
            for row in range(len(offsets) - 1):
                yield flat[offsets[row]:offsets[row + 1]]

    def sizes(self) -> np.ndarray:
        return np.concatenate([np.diff(o) for o in self._offsets]) if self._offsets \
            else np.empty(0, dtype=np.int64)

    def common(self, limit: int) -> np.ndarray:
        """Hashes held by more than ``limit`` sets (sets are unique, so a hash's count is
        the number of sets holding it), counted one slice of the hash space at a time."""
        found = []
        for part in range(SLICES):
            hashes = np.concatenate([f[f % SLICES == part] for f in self._flat]) \
                if self._flat else np.empty(0, dtype=np.uint32)
            if len(hashes) <= limit:
                continue
            hashes.sort()
            repeated = hashes[:-limit or None] == hashes[limit:] if limit else \
                np.ones(len(hashes), dtype=bool)
            found.append(sorted_unique(hashes[:len(repeated)][repeated]))
        return sorted_unique(np.concatenate(found)) if found else np.empty(0, dtype=np.uint32)

    def drop(self, hashes: np.ndarray) -> None:
        """Remove ``hashes`` (sorted, distinct: ``common()``) from every set, in place, a
        batch at a time."""
        if not len(hashes):
            return
        for index, (flat, offsets) in enumerate(zip(self._flat, self._offsets, strict=True)):
            keep = ~in_sorted(flat, hashes)
            kept = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
            self._offsets[index] = kept[offsets]
            self._flat[index] = flat[keep]
