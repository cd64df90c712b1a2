"""`facade db migrate`: create a store's tables, or bring an older store's up to date."""

from __future__ import annotations

from crawler.store import Store


def cmd_db(args, db: str) -> None:
    store = Store(db)  # opening a store to write creates and upgrades its tables
    done = "; ".join(store.changes) or "already up to date"
    print(f"{store.path}: {done}")
    store.close()
