"""Archives: WARC written by a crawl and imported back gives the same clusters; JSON Lines
from other tools is imported as SPEC §8 says."""

import gzip
import json
import sqlite3

import pytest
from warcio.archiveiterator import ArchiveIterator

from tests.conftest import ROOT, facade

pytestmark = pytest.mark.e2e


def _clusters(db, run=1):
    con = sqlite3.connect(db)
    return sorted(tuple(json.loads(d)) for (d,) in con.execute(
        "select domains from clusters where run_id=?", (run,)))


def _statuses(db, run=1):
    return dict(sqlite3.connect(db).execute(
        "select domain, status from sites where run_id=?", (run,)))


def test_warc_round_trip_gives_the_same_clusters(lab, tmp_path):
    warc_dir = tmp_path / "warc"
    out = facade("run", str(lab.seeds_file), *lab.crawl_args(), "--reference",
                 str(lab.references_file), "--warc", str(warc_dir),
                 "--db", str(tmp_path / "a.db"), "-o", str(tmp_path / "a"), "--quiet")
    archive = next(warc_dir.glob("*.warc.gz"))
    assert f"warc  {archive}" in out.stdout
    types, statuses, metadata = {}, set(), 0
    with open(archive, "rb") as fh:
        for record in ArchiveIterator(fh):
            types[record.rec_type] = types.get(record.rec_type, 0) + 1
            if record.rec_type == "response":
                statuses.add(int(record.http_headers.get_statuscode()))
            metadata += record.rec_type == "metadata"
    assert types["warcinfo"] == 1 and types["response"] > 500
    assert 301 in statuses and 200 in statuses  # redirect hops are archived too
    assert metadata == len(_statuses(tmp_path / "a.db"))
    facade("import", str(archive), "--db", str(tmp_path / "b.db"), "--label", "from warc")
    facade("cluster", "--db", str(tmp_path / "b.db"), "--quiet")
    assert _clusters(tmp_path / "b.db") == _clusters(tmp_path / "a.db")
    assert _statuses(tmp_path / "b.db") == _statuses(tmp_path / "a.db")
    facade("report", "--db", str(tmp_path / "b.db"), "--format", "json",
           "-o", str(tmp_path / "b.json"))
    report = json.loads((tmp_path / "b.json").read_text())
    assert report["references"] and all(c["copied_from"] for c in report["clusters"]
                                        if any(e["kind"] == "text_similarity"
                                               for e in c["evidence"]))


def test_jsonl_import_from_other_tools(tmp_path):
    body = " ".join(f"word{i}" for i in range(80))
    lines = [
        {"domain": "WWW.Alpha-Front.com", "pages": [{"url": "https://alpha-front.com/",
                                                     "status": 200,
                                                     "html": f"<main>{body}</main>"}],
         "features": {"analytics_ids": ["G-JSONL12345"], "registrar": "NameCheap, Inc."}},
        {"domain": "beta-front.net", "features": {"analytics_ids": ["G-JSONL12345"]},
         "pages": [{"url": "https://beta-front.net/", "status": 200, "html": "<p>hi</p>"}]},
        {"domain": "gamma.org", "pages": [{"url": "https://gamma.org/", "status": 500}]},
        "not json at all",
        {"no_domain": True},
    ]
    path = tmp_path / "sites.jsonl"
    path.write_text("\n".join(line if isinstance(line, str) else json.dumps(line)
                              for line in lines) + "\n")
    db = str(tmp_path / "j.db")
    out = facade("import", str(path), "--db", db)
    assert "imported 3 sites" in out.stdout
    assert "sites.jsonl:4: skipped" in out.stderr and "sites.jsonl:5: skipped" in out.stderr
    facade("report", "--db", db, "--format", "json", "-o", str(tmp_path / "j.json"))
    report = json.loads((tmp_path / "j.json").read_text())
    sites = {s["domain"]: s for s in report["sites"]}
    assert sites["gamma.org"]["status"] == "error"
    assert sites["alpha-front.com"]["cluster"] == sites["beta-front.net"]["cluster"]
    linked = next(c for c in report["clusters"] if c["size"] == 2)
    assert [e["value"] for e in linked["evidence"]] == ["G-JSONL12345"]


def test_import_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(gzip.compress(b"this is not a warc"))
    err = facade("import", str(bad), "--db", str(tmp_path / "x.db"), check=False)
    assert err.returncode == 2 and "Traceback" not in err.stderr
    missing = facade("import", str(tmp_path / "nope.jsonl"), "--db", str(tmp_path / "x.db"),
                     check=False)
    assert missing.returncode == 2 and "file not found" in missing.stderr


def test_live_objects_survive_scrapys_settings_copy():
    from scrapy.settings import Settings

    from crawler.crawl.settings import Shared, shared

    addresses: dict = {}
    settings = Settings({"FACADE_ADDRESSES": Shared(addresses)}).copy()
    assert shared(settings, "FACADE_ADDRESSES") is addresses  # the gate's live map, pinned


def test_an_imported_run_is_dated_by_its_captures(tmp_path):
    """A real WARC (pywb's sample, captured 2014) makes a run that started and finished
    when its pages were captured, not when it was imported; JSON Lines gives captured_at."""
    warc = ROOT.parent / "shared/realworld/warc/pywb__dupes.warc.gz"
    db = str(tmp_path / "d.db")
    facade("import", str(warc), "--db", db)
    started, finished = sqlite3.connect(db).execute(
        "select started_at, finished_at from runs").fetchone()
    assert started.startswith("2014-01-27T17:12") and finished.startswith("2014-01-27T17:12")
    path = tmp_path / "s.jsonl"
    path.write_text(json.dumps({"domain": "a.com", "captured_at": "2023-10-18T09:00:00Z",
                                "pages": [{"url": "https://a.com/", "html": "<p>x</p>",
                                           "captured_at": "2023-10-19T10:00:00+02:00"}]}) + "\n")
    facade("import", str(path), "--db", db)
    assert sqlite3.connect(db).execute("select started_at, finished_at from runs where id=2"
                                       ).fetchone() == ("2023-10-18T09:00:00+00:00",
                                                        "2023-10-19T08:00:00+00:00")
