"""Issue 6: lab week 1 and week 2 of one world crawled into one database; the diff shows
exactly the planted changes, and every network keeps its cluster id."""

import json
import sqlite3

import pytest

from crawler.lab.server import LabServer
from tests.conftest import facade

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def weeks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("weeks")
    db = folder / "weeks.db"
    truths = []
    for week in (1, 2):
        with LabServer(seed=1, folder=folder / f"lab{week}", week=week) as lab:
            facade("run", str(lab.seeds_file), *lab.crawl_args(), "--label", f"week {week}",
                   "--db", str(db), "-o", str(folder / f"r{week}"), "--quiet")
            truths.append(json.loads(lab.truth_file.read_text()))
    out = facade("diff", "--db", str(db), "--format", "json")
    text = facade("diff", "--db", str(db), "--from", "1", "--to", "2").stdout
    reports = [json.loads((folder / f"r{w}" / "report.json").read_text()) for w in (1, 2)]
    return {"db": db, "diff": json.loads(out.stdout), "text": text, "truths": truths,
            "reports": reports, "html": (folder / "r2" / "report.html").read_text()}


def test_diff_shows_exactly_the_planted_changes(weeks):
    diff, changes = weeks["diff"], weeks["truths"][1]["changes"]
    new = sorted(c["domain"] for c in changes if c["change"] == "new_site")
    down = [c["domain"] for c in changes if c["change"] == "taken_down"]
    assert diff["sites"]["new"] == new and diff["sites"]["gone"] == []
    assert [s["domain"] for s in diff["sites"]["newly_failing"]] == down
    assert diff["sites"]["recovered"] == []
    want = set()
    for c in changes:
        if c["change"] == "tracker":
            want.add((c["domain"], "analytics_ids"))
        elif c["change"] == "hosting":
            want |= {(c["domain"], "ips"), (c["domain"], "asn"), (c["domain"], "hosting_org")}
    assert {(ch["domain"], ch["feature"]) for ch in diff["changes"]} == want
    tracker = next(c for c in changes if c["change"] == "tracker")
    got = next(ch for ch in diff["changes"] if ch["feature"] == "analytics_ids")
    assert got["before"] == sorted(tracker["before"]) and got["after"] == tracker["after"]
    assert all(j >= 0.9 for j in diff["text_similarity"].values())  # no text was rewritten
    assert diff["clusters"]["merged"] == [] and diff["clusters"]["split"] == []
    assert diff["clusters"]["left"] == [] and diff["clusters"]["new"] == []


def test_new_fronts_join_the_network_that_kept_its_id(weeks):
    week1, week2 = weeks["reports"]
    cluster1 = {s["domain"]: s["cluster"] for s in week1["sites"]}
    cluster2 = {s["domain"]: s["cluster"] for s in week2["sites"]}
    for family in weeks["truths"][0]["families"].values():
        ids1 = {cluster1[d] for d in family["domains"]}
        ids2 = {cluster2[d] for d in family["domains"]}
        assert len(ids1) == 1 and ids1 == ids2, family["kind"]  # the network keeps its id
    joined = weeks["diff"]["clusters"]["joined"]
    new_sites = [c for c in weeks["truths"][1]["changes"] if c["change"] == "new_site"]
    assert sorted(j["domain"] for j in joined) == sorted(c["domain"] for c in new_sites)
    for item in joined:
        origin = next(c["cluster_of"] for c in new_sites if c["domain"] == item["domain"])
        assert item["cluster"] == cluster1[origin] and item["new_site"]


def test_diff_as_an_analyst_reads_it(weeks):
    text = weeks["text"]
    assert text.splitlines()[0].startswith("run 1 (") and "-> run 2" in text
    for c in weeks["truths"][1]["changes"]:
        assert c["domain"] in text
    assert "newly failing:" in text and "joined C" in text and "trackers G-" in text
    assert "Changes since run 1 (week 1)" in weeks["html"]


def test_history_first_and_last_seen(weeks):
    week1, week2 = weeks["reports"]
    sites2 = {s["domain"]: s for s in week2["sites"]}
    down = next(c["domain"] for c in weeks["truths"][1]["changes"]
                if c["change"] == "taken_down")
    assert sites2[down]["last_seen"] == week1["run"]["started_at"]
    steady = next(s for s in week2["sites"] if s["status"] == "ok"
                  and s["domain"] in {x["domain"] for x in week1["sites"]})
    assert steady["first_seen"] == week1["run"]["started_at"]
    assert steady["last_seen"] == week2["run"]["started_at"]
    new = weeks["diff"]["sites"]["new"][0]
    assert sites2[new]["first_seen"] == week2["run"]["started_at"]
    con = sqlite3.connect(weeks["db"])
    runs = [r for (r,) in con.execute("select id from runs order by id")]
    assert runs == [1, 2]


def test_each_feature_value_has_the_runs_it_was_seen_in(weeks):
    from crawler.store import Store

    tracker = next(c for c in weeks["truths"][1]["changes"] if c["change"] == "tracker")
    history = Store(weeks["db"]).feature_history(tracker["domain"])
    for old in tracker["before"]:
        assert history["analytics_ids"][old] == [1]
    assert history["analytics_ids"][tracker["after"][0]] == [2]
    assert all(runs == [1, 2] for runs in history["registrar"].values())


def test_history_command(weeks):
    tracker = next(c for c in weeks["truths"][1]["changes"] if c["change"] == "tracker")
    out = facade("history", tracker["domain"], "--db", str(weeks["db"])).stdout
    assert out.splitlines()[0] == tracker["domain"]
    assert "run 1 " in out and "run 2 " in out
    assert f"{tracker['after'][0]}" in out and "runs 2" in out
    domain = tracker["domain"]
    for spelling in (f"https://www.{domain}/about", domain.replace(".", "[.]", 1)):
        assert facade("history", spelling, "--db", str(weeks["db"])).stdout == out
    missing = facade("history", "never-seen-before.com", "--db", str(weeks["db"]), check=False)
    assert missing.returncode == 2 and "in no run" in missing.stderr
