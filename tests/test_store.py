"""The SQLite store: WAL mode, runs read by id or latest, runs never mixed."""

import sqlite3

import pytest

from analysis.records import Page
from crawler.store import Store, StoreError


def test_runs_are_separate_and_latest_is_default(tmp_path):
    store = Store(tmp_path / "f.db")
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with pytest.raises(StoreError, match="no runs yet"):
        store.resolve_run(None)
    r1 = store.create_run("week 1", {}, "seeds.txt", [])
    r2 = store.create_run("week 2", {}, "seeds.txt", [])
    for run in (r1, r2):
        store.add_sites(run, [{"domain": "a.com"}, {"domain": "b.com"}])
    store.set_site(r1, "a.com", status="ok")
    store.add_page(r1, "a.com", Page("https://a.com/", "https://a.com/", 200, "<p>é</p>"))
    assert store.resolve_run(None) == r2
    assert store.resolve_run(str(r1)) == r1
    assert [s["status"] for s in store.sites(r1)] == ["ok", "pending"]
    assert [s["status"] for s in store.sites(r2)] == ["pending", "pending"]
    assert store.pages(r1, "a.com")[0].html == "<p>é</p>"
    assert store.pages(r2, "a.com") == []
    with pytest.raises(StoreError, match="no run with id 99"):
        store.resolve_run(99)
    with pytest.raises(StoreError, match="must be a number"):
        store.resolve_run("latest!")


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a facade database"):
        Store(path)


def test_derived_tables_are_replaced_per_run(tmp_path):
    store = Store(tmp_path / "f.db")
    run = store.create_run(None, {}, "s", [])
    store.replace_features(run, [("a.com", "ips", "1.2.3.4")])
    store.replace_features(run, [("a.com", "ips", "5.6.7.8")])
    assert store.features(run) == {"a.com": {"ips": ["5.6.7.8"]}}
    rows = sqlite3.connect(tmp_path / "f.db").execute("select count(*) from features").fetchone()
    assert rows == (1,)
