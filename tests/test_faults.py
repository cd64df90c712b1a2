"""Issue 4 end to end: the lab world with every fault switched on."""

import json
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import datetime

import pytest

from crawler.lab.server import LabServer
from crawler.lab.world import FAULTS, GBK_TITLE
from tests.conftest import ROOT, guarded_env
from tests.truth import pairwise_scores

pytestmark = pytest.mark.e2e
TIMEOUT = 5


@pytest.fixture(scope="module")
def fault_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("faults")
    with LabServer(seed=1, folder=folder / "lab", faults=True) as lab:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "crawler.cli", "run", str(lab.seeds_file), *lab.crawl_args(),
             "--reference", str(lab.references_file), "--timeout", str(TIMEOUT),
             "--db", str(folder / "f.db"), "-o", str(folder / "r"), "--quiet"],
            cwd=ROOT, capture_output=True, text=True, timeout=600, env=guarded_env())
        seconds = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        assert proc.returncode == 0, proc.stderr
        yield {"lab": lab, "seconds": seconds, "peak_mb": peak_mb, "db": folder / "f.db",
               "report": json.loads((folder / "r" / "report.json").read_text()),
               "truth": json.loads(lab.truth_file.read_text())}


def _sites(run):
    return {s["domain"]: s for s in run["report"]["sites"]}


def _fault_site(run, fault):
    return next(d for d, s in run["lab"].world.sites.items() if s.fault == fault)


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_ends_with_its_status_and_a_message(fault_run, fault):
    sites = _sites(fault_run)
    for domain, lab_site in fault_run["lab"].world.sites.items():
        if lab_site.fault == fault:
            site = sites[domain]
            assert site["status"] == FAULTS[fault], (fault, site)
            assert (site["message"] is None) == (site["status"] == "ok"), site


def test_every_other_site_crawled_and_clustered(fault_run):
    want = {s["domain"]: s["expected_status"] for s in fault_run["truth"]["sites"]}
    assert {s["domain"]: s["status"] for s in fault_run["report"]["sites"]} == want
    precision, recall = pairwise_scores(fault_run["report"], fault_run["truth"])
    assert precision >= 0.95 and recall >= 0.95


def test_crawl_time_and_memory_are_bounded(fault_run):
    # A tarpit costs at most the timeout for https and again for http: timeouts are not
    # retried, and a host that timed out (on robots.txt, say) is not waited on again.
    # Every site is crawled concurrently, so the whole run stays within
    # 2 x timeout of a clean crawl of this world (about 5 s here) plus slack for slow CI.
    print(f"fault world crawled in {fault_run['seconds']:.1f}s, peak RSS"
          f" {fault_run['peak_mb']:.0f} MB")
    assert fault_run["seconds"] < 2 * TIMEOUT + 40
    con = sqlite3.connect(fault_run["db"])
    started = datetime.fromisoformat(con.execute("select started_at from runs").fetchone()[0])
    tarpit = _fault_site(fault_run, "tarpit")
    ended = datetime.fromisoformat(con.execute(
        "select updated_at from sites where domain=?", (tarpit,)).fetchone()[0])
    assert (ended - started).total_seconds() <= 2 * TIMEOUT + 10
    # The 60 MB page and the 600 MB gzip bomb were cut off at the 10 MB cap.
    assert fault_run["peak_mb"] < 400


def test_sources_fail_alone(fault_run):
    con = sqlite3.connect(fault_run["db"])

    def enrichment(domain):
        return {src: (json.loads(d) if d else None, e) for src, d, e in con.execute(
            "select source, data, error from enrichment where domain=?", (domain,))}

    silent = enrichment(_fault_site(fault_run, "dns_silent"))
    assert silent["dns"][1] == "A: timeout"
    for fault in ("whois_garbage", "whois_close", "whois_ratelimit"):
        found = enrichment(_fault_site(fault_run, fault))
        assert found["whois"][0] is None and found["whois"][1], fault
        assert found["rdap"][1]  # RDAP had no answer, so WHOIS was asked
    tls = enrichment(_fault_site(fault_run, "tls_failure"))
    assert tls["tls"][0] is None and "TLS" in tls["tls"][1]
    sites = _sites(fault_run)
    assert sites[_fault_site(fault_run, "gbk_meta")]["features"]["title"].startswith(GBK_TITLE)
    assert sites[_fault_site(fault_run, "tls_failure")]["features"]["title"]
