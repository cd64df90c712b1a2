"""Durability: `kill -9` during a crawl, then resume; no site lost, none duplicated."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, facade, guarded_env

pytestmark = pytest.mark.e2e


def _finished_sites(db) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        return con.execute("select count(*) from sites where status != 'pending'"
                           " and enriched = 1").fetchone()[0]
    except sqlite3.Error:
        return 0


def _children(pid: int) -> set[int]:
    """The processes ``pid`` started (its enrichment process)."""
    found = set()
    for entry in os.listdir("/proc"):
        try:
            stat = open(f"/proc/{entry}/stat").read()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        state = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _crawl_and_kill(lab, db, args):
    """Start a crawl and kill -9 it once some sites are finished and some are not (the
    tarpit holds the crawl open for 2 x --timeout). Nothing it started outlives it."""
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", str(lab.seeds_file),
                             *args, "--db", str(db), "--quiet"], cwd=ROOT, env=guarded_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while _finished_sites(db) < 40 and time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    children = _children(proc.pid)
    assert children  # the enrichment process
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while any(map(_alive, children)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, children)), "a process of the killed crawl still runs"
    con = sqlite3.connect(db)
    state = con.execute("select state from runs").fetchone()[0]
    left = con.execute("select count(*) from sites where status='pending' or enriched=0")
    return state, left.fetchone()[0]


def _check_whole(db, lab):
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from runs").fetchone()[0] == 1
    assert con.execute("select state from runs").fetchone()[0] == "crawled"
    # The crawl stores what it fetched; parked and seized pages are judged by the features
    # stage (analysis/platforms.py), so the crawl's own status for them is "ok".
    judged_later = {"parked": "ok", "seized": "ok"}
    want = {s["domain"]: judged_later.get(s["expected_status"], s["expected_status"])
            for s in lab.world.ground_truth()["sites"]}
    got = dict(con.execute("select domain, status from sites where run_id=1"))
    assert got == want  # every seed once, none lost, each with its right status
    assert con.execute("select count(*) from sites where enriched=0").fetchone()[0] == 0
    dup_pages = con.execute("select count(*) from (select domain, url, count(*) c from pages"
                            " group by domain, url having c > 1)").fetchone()[0]
    dup_assets = con.execute("select count(*) from (select domain, url, count(*) c from assets"
                             " group by domain, url having c > 1)").fetchone()[0]
    assert dup_pages == 0 and dup_assets == 0
    no_dns = con.execute("select count(*) from sites s where not exists (select 1 from"
                         " enrichment e where e.domain=s.domain and e.source='dns')").fetchone()
    assert no_dns == (0,)
    ok_without_pages = con.execute(
        "select count(*) from sites s where status='ok' and not exists"
        " (select 1 from pages p where p.domain=s.domain)").fetchone()[0]
    assert ok_without_pages == 0


def _kept_before_resume(db):
    """Pages fetched and registrations asked before the kill (sites finished or not)."""
    con = sqlite3.connect(db)
    pages = {u for (u,) in con.execute("select url from pages")}
    asked = {d for (d,) in con.execute("select distinct domain from enrichment"
                                       " where source in ('rdap', 'whois')")}
    return pages, asked


@pytest.mark.parametrize("how", ["--resume", "same command"])
def test_kill_9_then_resume_finishes_the_same_run(fault_lab, tmp_path, how):
    db = tmp_path / "k.db"
    # No lookup cache: a registry question asked again would show in the lab's log.
    args = [*fault_lab.crawl_args(), "--timeout", "6", "--whois-cache-days", "0"]
    state, left = _crawl_and_kill(fault_lab, db, args)
    assert state == "crawling" and left > 0
    pages_before, asked_before = _kept_before_resume(db)
    urls, lookups = len(fault_lab.proxy.urls_seen), len(fault_lab.world.lookups)
    extra = ["--resume"] if how == "--resume" else []
    out = facade("crawl", str(fault_lab.seeds_file), *args, *extra, "--db", str(db), "--quiet")
    assert f"resumed interrupted run 1: crawled the {left} sites" in out.stdout
    _check_whole(db, fault_lab)
    # Work survives in proportion: a page fetched is not fetched again, a registration
    # asked is not asked again.
    fetched_again = pages_before & set(fault_lab.proxy.urls_seen[urls:])
    assert pages_before and not fetched_again, sorted(fetched_again)[:5]
    asked_again = {q.rsplit("/", 1)[-1] for kind, q in fault_lab.world.lookups[lookups:]
                   if kind in ("whois", "rdap") and q.rsplit("/", 1)[-1] in asked_before}
    assert not asked_again, sorted(asked_again)[:5]
    print(f"kept before the kill: {len(pages_before)} pages, {len(asked_before)} registrations;"
          f" after: {len(fault_lab.proxy.urls_seen) - urls} requests, "
          f"{len(fault_lab.world.lookups) - lookups} registry queries, none repeated")


def test_new_run_and_nothing_to_resume(fault_lab, tmp_path):
    db = tmp_path / "n.db"
    err = facade("crawl", str(fault_lab.seeds_file), "--resume", "--db", str(db),
                 check=False)
    assert err.returncode == 2 and "no interrupted crawl to resume" in err.stderr


def test_a_killed_enrichment_process_stops_the_crawl_and_the_run_resumes(fault_lab, tmp_path):
    """The crawl's enrichment process killed (as the OOM killer would): the crawl stops in
    one line, as after Ctrl-C, its run kept; the same command finishes it whole."""
    db = tmp_path / "e.db"
    args = [*fault_lab.crawl_args(), "--timeout", "6"]
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl",
                             str(fault_lab.seeds_file), *args, "--db", str(db), "--quiet"],
                            cwd=ROOT, env=guarded_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while _finished_sites(db) < 20 and time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    (enrichment,) = _children(proc.pid)
    os.kill(enrichment, signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, (out, err)
    assert "the enrichment process ended (exit status -9): run 1 kept" in err, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    con = sqlite3.connect(db)
    assert con.execute("select state from runs").fetchone()[0] == "crawling"
    con.close()
    resumed = facade("crawl", str(fault_lab.seeds_file), *args, "--db", str(db), "--quiet")
    assert "resumed interrupted run 1" in resumed.stdout
    _check_whole(db, fault_lab)
