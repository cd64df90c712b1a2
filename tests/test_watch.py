"""Scheduling: `facade watch` runs the pipeline on a schedule; a run that would overlap a
still-running crawl of the same database is skipped, and the store stays whole."""

import sqlite3
import subprocess
import sys
import time

import pytest

from crawler.store.lock import Busy, RunLock
from tests.conftest import ROOT, facade, guarded_env

pytestmark = pytest.mark.e2e


def test_watch_runs_on_schedule_and_diffs(lab, tmp_path):
    seeds = tmp_path / "s.txt"
    seeds.write_text("\n".join([d for d, s in lab.world.sites.items()
                                if s.kind == "analytics_id"][:3]) + "\n")
    db = tmp_path / "w.db"
    out = facade("watch", str(seeds), *lab.crawl_args(), "--every", "1s", "--runs", "2",
                 "--db", str(db), "-o", str(tmp_path / "out"), "--quiet")
    con = sqlite3.connect(db)
    assert [s for (s,) in con.execute("select state from runs")] == ["clustered", "clustered"]
    assert "run 1 (" in out.stdout and "-> run 2" in out.stdout and "no changes" in out.stdout
    folders = sorted((tmp_path / "out").iterdir())
    assert len(folders) == 2 and (folders[1] / "diff.json").exists()
    assert f"writing to {folders[0]}" in out.stdout and f"writing to {folders[1]}" in out.stdout
    assert out.stdout.count("next run at ") == 1  # between the two runs, not after the last


def test_an_overlapping_run_is_skipped_and_the_store_stays_whole(lab, tmp_path):
    db = tmp_path / "busy.db"
    holder = RunLock(db)
    holder.acquire(wait=False)  # a crawl of this database is running
    try:
        with pytest.raises(Busy):
            RunLock(db).acquire(wait=False)
        seeds = tmp_path / "s.txt"
        seeds.write_text(next(iter(lab.world.sites)) + "\n")
        out = facade("watch", str(seeds), *lab.crawl_args(), "--every", "1s", "--runs", "1",
                     "--db", str(db), "--quiet", "-o", str(tmp_path / "o"))
        assert "skipped this run: another crawl of" in out.stdout
        # `run --skip-if-busy` gives up with its own exit status, which watch reads.
        busy = facade("run", str(seeds), *lab.crawl_args(), "--db", str(db), "--quiet",
                      "--skip-if-busy", "-o", str(tmp_path / "b"), check=False)
        assert busy.returncode == 75 and busy.stderr.startswith("facade: busy: another crawl")
        # A plain crawl waits for the running one instead.
        waiting = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl", str(seeds),
                                    *lab.crawl_args(), "--db", str(db), "--quiet"], cwd=ROOT,
                                   env=guarded_env(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        time.sleep(2)
        assert waiting.poll() is None
    finally:
        holder.release()
    stdout, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0 and "waiting for it" in stderr
    con = sqlite3.connect(db)
    assert con.execute("pragma integrity_check").fetchone() == ("ok",)
    assert con.execute("select count(*) from runs").fetchone() == (1,)


def test_interval_parsing():
    from crawler.cli import UserError, parse_interval

    assert parse_interval("7d") == 7 * 86400 and parse_interval("90s") == 90
    with pytest.raises(UserError):
        parse_interval("weekly")
