"""Every command on a shared PostgreSQL store (a real server started by the tests): the same
reports as on the SQLite file, resumable crawls, one crawl at a time, `facade db migrate`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from crawler.store import Store
from tests.conftest import ROOT, facade, guarded_env

pytestmark = pytest.mark.e2e
VOLATILE = {"generated_at", "started_at", "finished_at", "first_seen", "last_seen",
            "fetched_at", "captured_at"}


def _stable(value):
    """A report without its dates, which two crawls of one world cannot share."""
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


def test_a_run_on_postgresql_reports_what_the_sqlite_run_reports(lab, lab_run, postgres,
                                                                tmp_path):
    url = postgres.create_database("run_same")
    migrated = facade("db", "migrate", "--db", url)
    assert "created the tables" in migrated.stdout
    assert "already up to date" in facade("db", "migrate", "--db", url).stdout
    out = tmp_path / "reports"
    facade("run", str(lab.seeds_file), *lab.crawl_args(), "--timeout", "10",
           "--reference", str(lab.references_file), "--db", url, "-o", str(out), "--quiet")
    report = json.loads((out / "report.json").read_text())
    assert _stable(report["clusters"]) == _stable(lab_run["report"]["clusters"])
    assert _stable(report["sites"]) == _stable(lab_run["report"]["sites"])
    assert report["commons"] == lab_run["report"]["commons"]

    # A second week in the shared history: cluster ids carried, diff and history read it.
    facade("crawl", str(lab.seeds_file), *lab.crawl_args(), "--timeout", "10", "--db", url,
           "--quiet")
    facade("cluster", "--db", url)
    diff = facade("diff", "--db", url, "--format", "json")
    assert str(json.loads(diff.stdout)["from"]["id"]) == "1"
    domain = lab_run["report"]["clusters"][0]["domains"][0]
    history = facade("history", domain, "--db", url)
    assert "run 1" in history.stdout and "run 2" in history.stdout
    week2 = facade("report", "--db", url, "--format", "json", "-o", str(tmp_path / "w2.json"))
    assert week2.returncode == 0
    clusters = json.loads((tmp_path / "w2.json").read_text())["clusters"]
    assert {c["id"] for c in clusters} == {c["id"] for c in report["clusters"]}


def test_import_and_watch_on_postgresql(lab, postgres, tmp_path):
    url = postgres.create_database("import_watch")
    lines = [{"domain": f"acme{i}-it.com", "status": "ok",
              "pages": [{"url": f"https://acme{i}-it.com/", "status": 200,
                         "html": "<title>Acme IT</title><p>We build software.</p>"
                                 "<a href='mailto:jobs@acme-it.com'>jobs</a>"}]}
             for i in range(3)]
    path = tmp_path / "sites.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines))
    assert "imported 3 sites" in facade("import", str(path), "--db", url).stdout
    facade("cluster", "--db", url)
    store = Store(url, create=False)
    assert sorted(len(c["domains"]) for c in store.clusters(1)) == [3]
    facade("watch", str(lab.seeds_file), *lab.crawl_args(), "--timeout", "10", "--every",
           "1s", "--runs", "1", "--db", url, "-o", str(tmp_path / "watch"), "--quiet")
    assert Store(url, create=False).run_info(2)["state"] == "clustered"


def test_a_reader_of_an_empty_postgresql_database_is_told_to_migrate(postgres):
    url = postgres.create_database("empty")
    proc = facade("report", "--db", url, "--format", "json", check=False)
    assert proc.returncode == 2
    assert "no facade tables yet" in proc.stderr and "facade db migrate" in proc.stderr
    proc = facade("report", "--db", "postgresql://facade@127.0.0.1:1/none", "--format",
                  "json", check=False)
    assert proc.returncode == 2 and "cannot connect" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_kill_9_then_resume_on_postgresql(fault_lab, postgres):
    url = postgres.create_database("resume")
    args = [*fault_lab.crawl_args(), "--timeout", "6"]
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "crawl",
                             str(fault_lab.seeds_file), *args, "--db", url, "--quiet"],
                            cwd=ROOT, env=guarded_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            if Store(url, create=False).finished_count(1)[0] >= 40:
                break
        except Exception:  # noqa: BLE001 - the crawl has not made its run yet
            pass
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = Store(url, create=False)
    finished, total = store.finished_count(1)
    assert store.run_info(1)["state"] == "crawling" and finished < total
    # The killed crawl's lock is gone with its connection: the same command finishes the run.
    out = facade("crawl", str(fault_lab.seeds_file), *args, "--db", url, "--quiet")
    assert f"resumed interrupted run 1: crawled the {total - finished} sites" in out.stdout
    store = Store(url, create=False)
    assert store.finished_count(1) == (total, total)
    assert store.run_info(1)["state"] == "crawled"
    want = {s["domain"] for s in fault_lab.world.ground_truth()["sites"]}
    assert set(store.site_domains(1)) == want
