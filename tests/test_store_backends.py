"""The store's contract, run against a SQLite file and a real PostgreSQL server alike.

Every test takes ``db_location``: once a new SQLite file, once a new database on the
PostgreSQL server the tests start (tests/conftest.py). What a command reads back must not
depend on which one holds the run.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from analysis.records import Asset, Page
from crawler.store import Store, StoreError
from crawler.store.lock import Busy
from crawler.store.locking import run_lock
from tests.conftest import ROOT, guarded_env


def _page(url: str, html: str = "<p>é</p>", final: str | None = "same") -> Page:
    return Page(url, url if final == "same" else final, 200, html)


def test_runs_are_separate_and_the_latest_is_the_default(db_location):
    store = Store(db_location)
    with pytest.raises(StoreError, match="no runs yet"):
        store.resolve_run(None)
    r1 = store.create_run("week 1", {"a": 1}, "seeds.txt", ["w"], [{"domain": "a.com"}])
    r2 = store.create_run("week 2", {}, "seeds.txt", [])
    store.add_sites(r2, [{"domain": "b.com"}, {"domain": "a.com", "role": "reference"}])
    store.add_sites(r2, [{"domain": "b.com"}])  # added once
    store.set_site(r1, "a.com", status="ok", message="fine")
    assert store.resolve_run(None) == r2 == store.latest_run_id()
    assert store.resolve_run(str(r1)) == r1
    assert [(s["domain"], s["status"], s["message"]) for s in store.sites(r1)] == [
        ("a.com", "ok", "fine")]
    assert store.site_domains(r2) == ["a.com", "b.com"]
    assert store.run_info(r1)["options"] == {"a": 1} and store.run_info(r1)["warnings"] == ["w"]
    with pytest.raises(StoreError, match="no run with id 99"):
        store.resolve_run(99)
    with pytest.raises(StoreError, match="must be a number"):
        store.resolve_run("latest!")


def test_pages_assets_and_enrichment_are_stored_once(db_location):
    store = Store(db_location)
    run = store.create_run(None, {}, "s", [], [{"domain": "a.com"}])
    store.add_page(run, "a.com", _page("https://a.com/"))
    store.add_page(run, "a.com", _page("https://a.com/"))  # a resumed crawl replays it
    store.add_page(run, "a.com", _page("https://a.com/x", final=None))
    store.add_page(run, "a.com", _page("https://a.com/x", final=None))
    store.add_asset(run, "a.com", Asset("https://a.com/f.ico", "favicon", 200, "ab", -5, 3))
    store.add_asset(run, "a.com", Asset("https://a.com/f.ico", "favicon", 200, "ab", -5, 3))
    assert [p.url for p in store.pages(run, "a.com")] == ["https://a.com/", "https://a.com/x"]
    assert store.pages(run, "a.com")[0].html == "<p>é</p>"
    assert store.start_page_html(run, "a.com") == "<p>é</p>"
    assert store.assets(run, "a.com") == [
        Asset("https://a.com/f.ico", "favicon", 200, "ab", -5, 3)]
    store.put_enrichment(run, "a.com", "dns", {"a": ["1.2.3.4"]}, None)
    store.put_site_enrichment(run, "a.com", {"dns": ({"a": ["5.6.7.8"]}, None),
                                             "rdap": (None, "timeout")})
    assert store.enrichment(run, "a.com") == {
        "dns": {"data": {"a": ["5.6.7.8"]}, "error": None},
        "rdap": {"data": None, "error": "timeout"}}
    store.cache_put("rdap", "a.com", "c", {"x": 1})
    store.cache_put("rdap", "a.com", "c", {"x": 2})
    assert store.cache_get("rdap", "a.com", "c", 1)[0] == {"x": 2}


def test_an_unfinished_run_resumes_with_what_it_had(db_location):
    store = Store(db_location)
    run = store.create_run(None, {}, "s", [], [{"domain": d} for d in ("c.com", "a.com",
                                                                       "b.com")])
    store.write_crawled(run, [("a.com", _page("https://a.com/"))], [], ("a.com",
                                                                       {"status": "ok"}))
    store.put_site_enrichment(run, "a.com", {"dns": ({}, None)})
    store.set_site(run, "b.com", status="ok")  # fetched, not enriched: not finished
    assert store.finished_count(run) == (1, 3)
    assert store.interrupted_run()["id"] == run
    assert store.reset_incomplete(run) == ["c.com", "b.com"]  # in the seeds' order
    pages, assets, enrichment = store.stored_work(run, ["a.com"])
    assert list(pages) == ["https://a.com/"] and enrichment == {"a.com": {"dns": ({}, None)}}
    store.set_run_state(run, "crawled", finished=True)
    assert store.interrupted_run() is None


def test_derived_rows_are_replaced_per_run_and_read_in_order(db_location):
    store = Store(db_location)
    r1 = store.create_run(None, {}, "s", [], [{"domain": "a.com"}, {"domain": "b.com"}])
    store.replace_features(r1, [("a.com", "ips", "9"), ("a.com", "ips", "1")])
    store.replace_features(r1, [("b.com", "ips", "5"), ("a.com", "ips", "9"),
                                ("a.com", "ips", "1"), ("a.com", "ips", "1")])
    assert store.features(r1) == {"b.com": {"ips": ["5"]}, "a.com": {"ips": ["9", "1"]}}
    store.replace_texts(r1, [("a.com", "text", b"\x00\x01", "v1"), ("b.com", None, None, "")])
    assert store.texts(r1) == {"a.com": b"\x00\x01"}
    clusters = [{"id": "C000002", "domains": ["a.com", "b.com"], "evidence": [{"k": 1}]},
                {"id": "C000001", "domains": ["c.com"], "evidence": []}]
    links = [{"kind": "ips", "value": "9", "domains": ["a.com", "b.com"], "weight": 0.5,
              "strength": "strong", "reason": "r"},
             {"kind": "ns", "value": "n", "domains": ["a.com", "b.com"], "weight": 0.0,
              "strength": "common", "common": "dns host"}]
    store.replace_clusters(r1, clusters, links)
    store.replace_clusters(r1, clusters, links)
    assert [c["id"] for c in store.clusters(r1)] == ["C000002", "C000001"]
    assert [c["id"] for c in store.linked_clusters(r1)] == ["C000002"]
    assert [c["id"] for c in store.lone_clusters(r1, size=1)] == ["C000001"]
    assert store.lone_cluster_ids(r1) == {"c.com": "C000001"}
    assert store.common_count(r1) == 1 and store.common_links(r1)[0]["common"] == "dns host"
    assert len(store.links(r1)) == 2
    store.replace_events(r1, [{"e": 2}, {"e": 1}])
    assert store.events(r1) == [{"e": 2}, {"e": 1}]
    r2 = store.create_run(None, {}, "s", [])
    assert store.highest_cluster_number(r2) == 2


def test_report_rows_history_and_text_pairs(db_location):
    store = Store(db_location)
    runs = []
    for week in range(2):
        run = store.create_run(None, {}, "s", [], [
            {"domain": "a.com"}, {"domain": "b.com"}, {"domain": "ref.com", "role": "reference"}])
        for domain in ("a.com", "ref.com"):
            store.set_site(run, domain, status="ok")
        store.replace_features(run, [("a.com", "ips", f"10.0.0.{week}"),
                                     ("b.com", "page_status", "parked")])
        store.replace_texts(run, [("a.com", "t", bytes([week]), "s")])
        store.set_run_state(run, "crawled", finished=True)
        runs.append(run)
    batches = list(store.site_batches(runs[1], size=1))
    assert [[row["domain"] for row, _ in b] for b in batches] == [["a.com"], ["b.com"]]
    assert batches[0][0][1] == {"ips": ["10.0.0.1"]}
    assert batches[0][0][0]["first_seen"] is not None
    assert [row["domain"] for b in store.site_batches(runs[1], references=True)
            for row, _ in b] == ["ref.com"]
    assert store.site_tally(runs[1]) == (2, 1)
    assert [r[0] for r in store.site_history("a.com")] == runs
    assert store.feature_history("a.com") == {"ips": {"10.0.0.0": [runs[0]],
                                                      "10.0.0.1": [runs[1]]}}
    assert sorted(store.values_elsewhere(runs[1], ["ips"])) == [("a.com", "ips", "10.0.0.0")]
    assert list(store.text_pairs(runs[0], runs[1])) == [("a.com", b"\x00", b"\x01")]
    assert store.previous_run(runs[1]) == runs[0]
    assert store.latest_answered_run() == runs[1]
    assert set(store.first_last_seen(runs[1])) == {"a.com", "ref.com"}


def test_sites_read_back_in_batches_with_their_pages(db_location):
    store = Store(db_location)
    run = store.create_run(None, {}, "s", [], [{"domain": f"s{i}.com"} for i in range(5)])
    store.write_imported(run, [("s3.com", "ok", None, "{}", None, None, "2024-01-01")],
                         [("s3.com", _page("https://s3.com/"))],
                         [("s3.com", Asset("https://s3.com/a.js", "script", 200))],
                         [("s3.com", "dns", {"a": []}, None)])
    batches = list(store.site_record_batches(run, size=2))
    assert [[r.domain for r in b] for b in batches] == [
        ["s0.com", "s1.com"], ["s2.com", "s3.com"], ["s4.com"]]
    site = batches[1][1]
    assert site.status == "ok" and site.pages[0].digest and site.pages[0].html == ""
    assert store.page_html([site.pages[0].id]) == {site.pages[0].id: "<p>é</p>"}
    assert site.assets[0].url == "https://s3.com/a.js" and "dns" in site.enrichment
    named = list(store.site_record_batches(run, domains=["s4.com", "s0.com"]))
    assert [r.domain for b in named for r in b] == ["s0.com", "s4.com"]
    store.put_readings([("k1", {"a": "é"}, b"sh", None)])
    store.put_readings([("k1", {"a": "other"}, b"sh", None)])  # kept once, by content
    assert store.readings(["k1", "k2"]) == {"k1": {"a": "é", "shingles": b"sh",
                                                   "signature": None}}


def test_a_reader_of_a_missing_database_is_told_and_nothing_is_made(db_location, tmp_path):
    with pytest.raises(StoreError, match="no such database|no facade tables"):
        Store(db_location, create=False)
    Store(db_location)  # a writer makes it
    assert Store(db_location, create=False).site_count(1) == 0


def test_one_crawl_at_a_time_and_a_killed_holder_frees_the_lock(db_location):
    Store(db_location)
    with run_lock(db_location, wait=False), pytest.raises(Busy, match="another crawl"):
        with run_lock(db_location, wait=False):
            pass
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from crawler.store.locking import run_lock\n"
         "with run_lock(sys.argv[1], wait=False):\n print('held', flush=True); time.sleep(600)",
         db_location], cwd=ROOT, env=guarded_env(), stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(Busy):
        with run_lock(db_location, wait=False):
            pass
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    deadline = time.monotonic() + 30
    while True:  # the server notices the dropped connection at once, or nearly
        try:
            with run_lock(db_location, wait=False):
                break
        except Busy:
            assert time.monotonic() < deadline
            time.sleep(0.1)


def test_migrate_adds_what_an_older_database_lacks(db_location):
    from crawler.cli import main

    Store(db_location).close()
    old = Store(db_location)
    with old.db:
        old.db.execute("ALTER TABLE pages DROP COLUMN digest")
    old.close()
    reader = Store(db_location, create=False)  # a reader sees the missing column as NULL
    assert "digest" not in reader.columns["pages"]
    reader.close()
    assert main(["db", "migrate", "--db", db_location]) == 0
    assert "digest" in Store(db_location, create=False).columns["pages"]
