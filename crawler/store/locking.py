"""The one-crawl-at-a-time lock of a store, whichever kind it is: a lock file beside a SQLite
database (crawler/store/lock.py), a PostgreSQL advisory lock for a shared database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from crawler.store.lock import RunLock
from crawler.store.postgres import advisory_lock, is_postgres


@contextmanager
def run_lock(db: str, wait: bool, notice: Callable[[str], None] | None = None
             ) -> Iterator[None]:
    """Hold ``db``'s crawl lock for the block; Busy when another crawl holds it and
    ``wait`` is false. Either kind is freed when its holder dies, even by kill -9."""
    if is_postgres(db):
        with advisory_lock(db, wait, notice):
            yield
        return
    lock = RunLock(db)
    lock.acquire(wait=wait, notice=notice)
    with lock:
        yield
