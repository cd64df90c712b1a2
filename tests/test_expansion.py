"""--expand: pivots from crawled sites to new candidate domains, with a cap and a dry run."""

import json
import sqlite3

import pytest

from tests.conftest import facade

pytestmark = pytest.mark.e2e


def _family(lab, kind):
    return [d for d, s in lab.world.sites.items() if s.kind == kind and s.role == "seed"]


def test_dry_run_lists_candidates_and_crawls_none(lab, tmp_path):
    head = _family(lab, "certificate_san")[0]
    redirector = next(d for d, s in lab.world.sites.items() if s.redirect_to
                      and s.kind == "redirect")
    seeds = tmp_path / "s.txt"
    seeds.write_text(f"{head}\n{redirector}\n")
    db = tmp_path / "d.db"
    out = facade("crawl", str(seeds), *lab.crawl_args(), "--expand-dry-run", "--db", str(db),
                 "--quiet")
    listed = {line.split()[0]: line.split()[3] for line in out.stdout.splitlines()
              if line.startswith("  ")}
    for other in _family(lab, "certificate_san")[1:]:
        assert listed[other] == "certificate_san"
    assert listed[lab.world.sites[redirector].redirect_to] == "redirect"
    con = sqlite3.connect(db)
    assert sorted(d for (d,) in con.execute("select domain from sites")) == sorted(
        [head, redirector])


def test_expansion_crawls_within_the_cap_and_records_the_pivot(lab, tmp_path):
    head = _family(lab, "certificate_san")[0]
    seeds = tmp_path / "s.txt"
    seeds.write_text(head + "\n")
    facade("run", str(seeds), *lab.crawl_args(), "--expand", "2", "--expand-max", "2",
           "--db", str(tmp_path / "e.db"), "-o", str(tmp_path / "r"), "--quiet")
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    added = [s for s in report["sites"] if s["found_by"]]
    assert len(added) == 2 and len(report["sites"]) == 3
    for site in added:
        assert site["found_by"]["pivot"] == "certificate_san"
        assert site["found_by"]["via"] == head and site["found_by"]["round"] == 1
        assert site["status"] == "ok" and site["cluster"] == report["sites"][0]["cluster"]


def test_values_shared_with_earlier_runs_find_the_rest_of_a_family(lab_run, lab, tmp_path):
    members = _family(lab, "analytics_id")
    seeds = tmp_path / "one.txt"
    seeds.write_text(members[0] + "\n")
    out = facade("crawl", str(seeds), *lab.crawl_args(), "--expand", "1",
                 "--db", str(lab_run["db"]), "--quiet", "--new-run")
    found = {line.split()[0]: line.split()[3] for line in out.stdout.splitlines()
             if line.startswith("  ")}
    assert set(members[1:]) <= set(found)
    assert {found[d] for d in members[1:]} == {"shared_analytics_ids"}
    # Never a pivot on a common: the privacy service's e-mail, the theme's tracker.
    assert "withheldforprivacy" not in out.stdout and "UA-52637921-1" not in out.stdout
    assert len(found) < 10
    facade("cluster", "--db", str(lab_run["db"]), "--run", "1", "--quiet")  # restore run 1
