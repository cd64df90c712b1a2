"""The cyclic garbage collector while a run's features pile up.

Clustering a run keeps millions of long-lived objects (each site's features and values, the
evidence) and makes next to no reference cycles. CPython runs a full collection each time
the long-lived heap has grown by a quarter, and each one scans every object: at a million
sites, 38 full collections took 91 of `facade cluster`'s 516 seconds; freezing each batch
(``gc.freeze``) still left 53 s, spent on what the text and value stages make. So the stage
runs with the collector off (reference counting still frees everything that is not in a
cycle) and turns it back on when it ends; the worker processes it forks turn it on for
themselves (``collecting``), since they parse pages.

A crawl is the opposite case: Twisted's Deferreds and failures do make cycles, for as long as
the crawl runs, so the collector stays on; but every collection of the older generations
also walked the imported modules' and the reactor's objects. ``settled_heap`` moves what
exists when the crawl starts out of the collector's sight (``gc.freeze``): collections took
1.0 s of a 500-site crawl, 0.7 s after. (Young collections ten times rarer took it to 0.2 s,
but the crawl's peak memory then grew with its sites: 152 MB at 1,000, 215 MB at 4,000, against
169 MB at 4,000 with CPython's default.)
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def growing_heap() -> Iterator[None]:
    """The collector off for the block, then as it was before.

    Example:
        >>> with growing_heap():
        ...     kept = [{"site": n} for n in range(1000)]
        ...     gc.isenabled()
        False
        >>> gc.isenabled()
        True
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@contextmanager
def settled_heap() -> Iterator[None]:
    """The objects made so far out of the collector's sight for the block, then as before.

    Example:
        >>> with settled_heap():
        ...     gc.get_freeze_count() > 0
        True
        >>> gc.get_freeze_count()
        0
    """
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def collecting() -> None:
    """A forked worker's initializer: the collector on, whatever its parent had."""
    gc.enable()
