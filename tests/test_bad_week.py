"""A week in which nothing answered is kept, but renames nothing: the next week's clusters
keep the ids of the last week that had clusters, and `diff` compares with that week."""

import json
import sqlite3

import pytest

from crawler.lab.server import LabServer
from tests.conftest import facade

pytestmark = pytest.mark.e2e


def test_a_week_where_nothing_answered_is_no_base(tmp_path):
    db = tmp_path / "w.db"
    with LabServer(seed=1, folder=tmp_path / "lab1", week=1) as lab:
        seeds, truth = lab.seeds_file, json.loads(lab.truth_file.read_text())
        facade("run", str(seeds), *lab.crawl_args(), "--db", str(db), "-o",
               str(tmp_path / "r1"), "--quiet")
    # The same seeds asked of another world's name server: every site is dns_error, as in
    # a week where the resolver given was the wrong one.
    with LabServer(seed=99, sites=20, folder=tmp_path / "other") as other:
        bad = facade("run", str(seeds), *other.crawl_args(), "--db", str(db), "-o",
                     str(tmp_path / "r2"), "--quiet")
    assert "no site answered" in bad.stderr
    with LabServer(seed=1, folder=tmp_path / "lab3", week=2) as lab:
        facade("run", str(seeds), *lab.crawl_args(), "--db", str(db), "-o",
               str(tmp_path / "r3"), "--quiet")
    reports = [json.loads((tmp_path / f"r{w}" / "report.json").read_text()) for w in (1, 2, 3)]
    assert reports[1]["run"]["sites_ok"] == 0 and reports[1]["clusters"] == []
    ids1 = {s["domain"]: s["cluster"] for s in reports[0]["sites"]}
    ids3 = {s["domain"]: s["cluster"] for s in reports[2]["sites"]}
    for family in truth["families"].values():
        assert {ids1[d] for d in family["domains"]} == {ids3[d] for d in family["domains"]}
    assert "Changes since run 1" in (tmp_path / "r3" / "report.html").read_text()
    diff = json.loads(facade("diff", "--db", str(db), "--format", "json").stdout)
    assert (diff["from"]["id"], diff["to"]["id"]) == ("1", "3")
    assert len(diff["sites"]["new"]) < 10  # only the planted new fronts, not every site
    asked = facade("diff", "--db", str(db), "--from", "2", "--to", "3", "--format", "json")
    assert json.loads(asked.stdout)["from"]["id"] == "2"
    con = sqlite3.connect(db)
    assert [r for (r,) in con.execute("select id from runs order by id")] == [1, 2, 3]
