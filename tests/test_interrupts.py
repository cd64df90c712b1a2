"""Ctrl-C and SIGTERM stop a crawl cleanly: what is stored stays, the run stays resumable,
exit 130 (SIGINT) or 143 (SIGTERM); `facade run` stops too and writes no report."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, facade, guarded_env
from tests.test_resume import _check_whole, _finished_sites

pytestmark = pytest.mark.e2e


def _count(db, table: str) -> int:
    """Rows in a table of the crawl's database, read while it runs (0 before it exists)."""
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    except sqlite3.Error:
        return 0


def _interrupt(lab, db, command, args, sig, when):
    """Start `facade COMMAND`, send ``sig`` once ``when(db)`` holds; (exit, stdout, stderr)."""
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", command, str(lab.seeds_file),
                             *args, "--db", str(db), "--quiet"], cwd=ROOT, env=guarded_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not when(db) and time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.05)
    started = time.monotonic()
    os.kill(proc.pid, sig)
    out, err = proc.communicate(timeout=60)
    return proc.returncode, out, err, time.monotonic() - started


POINTS = {
    "at the start": lambda db: _count(db, "runs") > 0,  # the run is made, nothing crawled yet
    "after the first pages": lambda db: _count(db, "pages") >= 5,
    "with most sites finished": lambda db: _finished_sites(db) >= 60,
}


@pytest.mark.parametrize(("point", "sig"), [
    *[(point, signal.SIGINT) for point in POINTS],
    ("after the first pages", signal.SIGTERM),  # the same path as SIGINT, exit 143
])
def test_a_signal_keeps_the_run_and_the_same_command_finishes_it(fault_lab, tmp_path,
                                                                    point, sig):
    db = tmp_path / "i.db"
    args = [*fault_lab.crawl_args(), "--timeout", "6"]
    code, out, err, took = _interrupt(fault_lab, db, "crawl", args, sig, POINTS[point])
    assert code == 128 + sig, (code, out, err)
    assert "interrupted: run 1 kept" in err and "Traceback" not in err, err
    assert took < 30  # stops promptly, the tarpit site notwithstanding
    con = sqlite3.connect(db)
    assert con.execute("select state from runs").fetchone()[0] == "crawling"
    kept = con.execute("select count(*) from pages").fetchone()[0]
    if point == "after the first pages" and sig == signal.SIGINT:
        # A report of the interrupted run shows what is there, marked partial, and changes
        # nothing: the run can still be resumed; `cluster` refuses it in one line.
        report = tmp_path / "partial.json"
        facade("report", "--format", "json", "-o", str(report), "--db", str(db))
        run = json.loads(report.read_text())["run"]
        assert run["partial"] and "pending" in run["note"]
        refused = facade("cluster", "--db", str(db), check=False)
        assert refused.returncode == 2 and "still crawling" in refused.stderr
        assert con.execute("select state from runs").fetchone()[0] == "crawling"
    con.close()
    resumed = facade("crawl", str(fault_lab.seeds_file), *args, "--db", str(db), "--quiet")
    assert "resumed interrupted run 1" in resumed.stdout
    _check_whole(db, fault_lab)
    print(f"{point}: {kept} pages kept at the signal, stopped in {took:.1f}s")


def test_run_stops_on_ctrl_c_and_writes_no_report(fault_lab, tmp_path):
    db, out_dir = tmp_path / "r.db", tmp_path / "reports"
    args = [*fault_lab.crawl_args(), "--timeout", "6", "-o", str(out_dir)]
    code, out, err, _ = _interrupt(fault_lab, db, "run", args, signal.SIGINT,
                                   POINTS["after the first pages"])
    assert code == 130 and "interrupted: run 1 kept" in err, (code, out, err)
    assert not out_dir.exists() or not any(out_dir.iterdir())
    con = sqlite3.connect(db)
    assert con.execute("select state from runs").fetchone()[0] == "crawling"
