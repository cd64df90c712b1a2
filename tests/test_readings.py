"""Each page is read once: its reading is stored by content, a later `facade cluster` or an
unchanged page next week reuses it, and what a stored reading gives is exactly what reading
the page again gives (real pages, through a real SQLite store)."""

from __future__ import annotations

import json

import pytest

from analysis.config import default_config
from analysis.features import site_features, without_text
from crawler.runs import import_writer
from crawler.runs.analyse import cluster_run
from crawler.runs.importer import import_file
from crawler.runs.readings import PageReader
from crawler.store import Store
from tests.conftest import facade
from tests.realworld import ROOT, real_pages, real_sites

CONFIG = default_config()
STOCK = ("Our engineers deliver reliable software for logistics firms across the region and"
         " beyond. ")


def _site(i: int, extra: str = "") -> dict:
    words = " ".join(f"term{i}x{k}" for k in range(120))
    html = (f"<html><head><title>Firm {i}</title></head><body><main><p>{STOCK * 3}</p>"
            f"<p>{words} {extra}</p></main><footer>info@firm{i}.com</footer></body></html>")
    return {"domain": f"firm{i}.com", "pages": [{"url": f"https://firm{i}.com/", "html": html}],
            "features": {"registrar": "NameCheap, Inc."}}


def _write(path, sites) -> None:
    path.write_text("".join(json.dumps(s) + "\n" for s in sites))


@pytest.mark.skipif(not (ROOT / "pages").exists(), reason="../shared/realworld is absent")
def test_a_stored_reading_gives_what_reading_the_page_again_gives(tmp_path):
    sites = real_sites(real_pages())[:60]
    store = Store(tmp_path / "r.db")
    with PageReader(store, keep=True, workers=1) as reader:
        reader.prepare(sites)
        assert reader.read_now == sum(1 for s in sites for p in s.pages
                                      if 200 <= p.status < 300) and reader.reused == 0
    with PageReader(store, keep=False, workers=1) as reader:
        source = reader.prepare(sites)
        assert reader.read_now == 0
        for record in sites:
            fresh = without_text(site_features(record, CONFIG))
            stored = without_text(site_features(record, CONFIG, source))
            assert (stored.values, stored.status, stored.page_shingles,
                    stored.page_signatures) == (fresh.values, fresh.status,
                                                fresh.page_shingles, fresh.page_signatures)


def test_a_second_week_reads_only_the_pages_that_changed(tmp_path):
    week1, week2, db = tmp_path / "w1.jsonl", tmp_path / "w2.jsonl", tmp_path / "f.db"
    sites = [_site(i) for i in range(30)]
    _write(week1, sites)
    sites[3] = _site(3, "a sentence added this week")
    _write(week2, sites)
    run1, _, _ = import_file(week1, db, None)
    store = Store(db)
    readings = store._query("SELECT count(*) FROM page_readings")[0][0]
    assert readings == 30
    first = cluster_run(store, run1, CONFIG)
    assert store._query("SELECT count(*) FROM page_readings")[0][0] == 30  # none read again
    run2, _, _ = import_file(week2, db, None)
    assert store._query("SELECT count(*) FROM page_readings")[0][0] == 31  # the changed page
    second = cluster_run(store, run2, CONFIG)
    assert [c.domains for c in first.clusters] == [c.domains for c in second.clusters]
    out = facade("--db", str(db), "cluster", "--run", str(run2))
    assert out.returncode == 0 and "pages: 0 read, 30 reused" in out.stdout, out.stdout


def test_lines_of_one_site_in_different_batches_are_merged(tmp_path, monkeypatch):
    monkeypatch.setattr(import_writer, "BATCH_SITES", 2)
    lines = [_site(i) for i in range(5)]
    lines.append({"domain": "firm0.com", "features": {"analytics_ids": ["G-MERGED1"]},
                  "pages": [{"url": "https://firm0.com/about", "status": 404}]})
    _write(tmp_path / "s.jsonl", lines)
    run, count, warnings = import_file(tmp_path / "s.jsonl", tmp_path / "m.db", None)
    store = Store(tmp_path / "m.db")
    assert count == 5 and warnings == []
    imported = store.enrichment(run, "firm0.com")["import"]["data"]
    assert imported == {"registrar": "NameCheap, Inc.", "analytics_ids": ["G-MERGED1"]}
    assert len(store.pages(run, "firm0.com")) == 2
    assert {s["domain"]: s["status"] for s in store.sites(run)}["firm0.com"] == "ok"


def test_a_large_run_is_read_on_every_core_with_the_same_result(tmp_path, monkeypatch):
    from crawler.runs import feature_batches

    copies = [{"domain": f"copy{i}.com", "pages": [{"url": f"https://copy{i}.com/",
                                                    "html": _site(i)["pages"][0]["html"]}]}
              for i in range(5)]
    _write(tmp_path / "s.jsonl", [_site(i) for i in range(40)] + copies)
    run, _, _ = import_file(tmp_path / "s.jsonl", tmp_path / "p.db", None, workers=1)
    store = Store(tmp_path / "p.db")
    alone = cluster_run(store, run, CONFIG)
    monkeypatch.setattr(feature_batches, "PARALLEL_FROM", 1)
    monkeypatch.setattr(feature_batches, "BATCH", 7)
    both = cluster_run(store, run, CONFIG)
    assert [c.domains for c in both.clusters] == [c.domains for c in alone.clusters]
    assert [e.to_dict() for e in both.evidence] == [e.to_dict() for e in alone.evidence]
    assert both.pages == {"read": 0, "reused": 45}
    assert len([c for c in both.clusters if len(c.domains) > 1]) == 5
