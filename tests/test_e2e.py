"""End to end: `facade` crawls the lab world through its proxy, DNS and WHOIS servers."""

import json
import sqlite3
from importlib import resources

import jsonschema
import pytest

from crawler.lab.world import PLANTED_EVIDENCE, XSS_MARKER
from tests.conftest import facade
from tests.truth import pairwise_scores

pytestmark = pytest.mark.e2e


def test_every_seed_accounted_for_with_its_status(lab_run):
    report, truth = lab_run["report"], lab_run["truth"]
    got = {s["domain"]: s["status"] for s in report["sites"]}
    want = {s["domain"]: s["expected_status"] for s in truth["sites"]}
    assert got == want
    assert report["run"]["seeds"] == len(want)
    for s in report["sites"]:
        assert (s["cluster"] is not None) == (s["status"] == "ok")
        if s["status"] != "ok":
            assert s["message"]


def test_pairwise_precision_and_recall(lab_run):
    precision, recall = pairwise_scores(lab_run["report"], lab_run["truth"])
    print(f"pairwise precision {precision:.3f} recall {recall:.3f}")
    assert precision >= 0.97 and recall >= 0.97


def test_each_family_cluster_names_its_planted_evidence(lab_run):
    report, truth = lab_run["report"], lab_run["truth"]
    cluster_of = {s["domain"]: s["cluster"] for s in report["sites"]}
    clusters = {c["id"]: c for c in report["clusters"]}
    for name, family in truth["families"].items():
        ids = {cluster_of[d] for d in family["domains"]}
        assert len(ids) == 1, f"{name} split over {ids}"
        kinds = {e["kind"] for e in clusters[ids.pop()]["evidence"]}
        assert PLANTED_EVIDENCE[family["kind"]] in kinds, (name, kinds)


def test_no_decoy_merged_on_commons(lab_run):
    report, truth = lab_run["report"], lab_run["truth"]
    decoys = {s["domain"] for s in truth["sites"] if s["family"] is None}
    for cluster in report["clusters"]:
        assert not (len(cluster["domains"]) > 1 and decoys & set(cluster["domains"])), cluster
    ignored = {(c["kind"], c["value"]) for c in report["commons"]}
    assert ("registrant_email", "contact@withheldforprivacy.com") in ignored
    assert ("ip", "127.2.0.10") in ignored
    assert ("registrar", "NameCheap, Inc.") in ignored


def test_features_collected(lab_run, lab):
    sites = {s["domain"]: s for s in lab_run["report"]["sites"]}
    cert_site = next(s for s in lab.world.sites.values() if s.kind == "certificate")
    f = sites[cert_site.domain]["features"]
    assert f["ips"] == [cert_site.ip] and f["asn"] and f["hosting_org"]
    assert f["registrar"] == cert_site.registrar
    assert f["cert_sha256"] and cert_site.domain in f["cert_sans"]
    assert f["title"].startswith(cert_site.company)
    ga_site = next(s for s in lab.world.sites.values() if s.kind == "analytics_id")
    assert set(ga_site.analytics) <= set(sites[ga_site.domain]["features"]["analytics_ids"])
    redirector = next(s for s in lab.world.sites.values() if s.redirect_to)
    assert sites[redirector.domain]["features"]["redirects_to"] == redirector.redirect_to
    zh = next(s for s in lab.world.sites.values() if s.kind == "text_zh")
    assert sites[zh.domain]["features"]["language"] == "zh"
    http_only = next(s for s in lab.world.sites.values()
                     if not s.tls and s.expected_status == "ok")
    assert sites[http_only.domain]["status"] == "ok"
    assert sites[http_only.domain]["features"]["cert_sha256"] is None


def test_json_report_matches_its_schema(lab_run):
    schema = json.loads(resources.files("analysis").joinpath(
        "data/facade.report-1.schema.json").read_text())
    jsonschema.validate(lab_run["report"], schema)
    assert lab_run["report"]["schema"] == "facade.report/1"


def test_html_report_escapes_crawled_content(lab_run):
    html = lab_run["html"]
    from analysis.reports.report_html import FILTER_JS, SCRIPT_HASH

    assert html.lower().count("<script") == 1  # the report's own filter, allowed by its hash
    assert f"<script>{FILTER_JS}</script>" in html and SCRIPT_HASH in html
    shown = html.replace("<wbr>", "")  # our break opportunities inside long values
    assert "onerror=" not in shown.replace("onerror=&#34;", "").replace("onerror=&quot;", "")
    assert f"&lt;script&gt;window.{XSS_MARKER}=1&lt;/script&gt;" in html
    assert "default-src 'none'" in html and "unsafe-inline'; img" in html
    assert "script-src 'sha256-" in html and "unsafe-eval" not in html
    for cluster in lab_run["report"]["clusters"]:
        if cluster["size"] > 1:
            assert f'id="{cluster["id"]}"' in html


def test_recluster_and_report_a_stored_run(lab_run, tmp_path):
    db = str(lab_run["db"])
    out = facade("cluster", "--db", db, "--run", "1", "--quiet")
    assert "clusters" in out.stdout
    facade("report", "--db", db, "--format", "json", "-o", str(tmp_path / "r.json"))
    again = json.loads((tmp_path / "r.json").read_text())
    assert again["clusters"] == lab_run["report"]["clusters"]


def test_two_runs_in_one_database_never_mix(lab_run, lab, tmp_path):
    db = tmp_path / "two.db"
    seeds = tmp_path / "few.txt"
    few = [s["domain"] for s in lab_run["truth"]["sites"]][:3]
    seeds.write_text("\n".join(few) + "\n")
    facade("crawl", str(seeds), *lab.crawl_args(), "--db", str(db), "--quiet")
    facade("crawl", str(lab.seeds_file), *lab.crawl_args(), "--db", str(db), "--quiet",
           "--max-pages", "1")
    facade("report", "--db", str(db), "--run", "1", "--format", "json",
           "-o", str(tmp_path / "r1.json"))
    r1 = json.loads((tmp_path / "r1.json").read_text())
    assert sorted(s["domain"] for s in r1["sites"]) == sorted(few)
    con = sqlite3.connect(db)
    per_run = dict(con.execute("select run_id, count(*) from sites group by run_id"))
    assert per_run == {1: 3, 2: len(lab_run["truth"]["sites"])}
    pages_run2 = con.execute("select count(*) from pages where run_id=2").fetchone()[0]
    # --max-pages 1: one page per site answered (a redirect is followed within one request).
    assert pages_run2 <= len(lab_run["truth"]["sites"])


def test_private_addresses_refused_without_allow_private(lab, tmp_path):
    seeds = tmp_path / "s.txt"
    targets = [d for d, s in lab.world.sites.items() if s.expected_status == "ok"][:4]
    seeds.write_text("\n".join(targets) + "\n")
    seen_before = len(lab.proxy.hosts_seen)
    args = [a for a in lab.crawl_args() if a != "--allow-private"]
    out = facade("crawl", str(seeds), *args, "--db", str(tmp_path / "b.db"), "--quiet")
    assert "4 blocked" in out.stdout
    assert not set(lab.proxy.hosts_seen[seen_before:]) & set(targets)
    con = sqlite3.connect(tmp_path / "b.db")
    messages = [m for (m,) in con.execute("select message from sites")]
    assert all("non-public address 127." in m for m in messages)


def test_user_errors_are_one_line_without_traceback(tmp_path):
    missing = facade("crawl", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "x.db"),
                     check=False)
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"facade: error: seed file not found: {tmp_path}/nope.txt"
    facade_db = tmp_path / "empty.db"
    no_run = facade("report", "--db", str(facade_db), "--format", "json", check=False)
    assert no_run.returncode == 2 and "Traceback" not in no_run.stderr
    assert "no such database" in no_run.stderr  # a read-only command creates none
    assert not facade_db.exists()
    from crawler.store import Store

    Store(facade_db).close()  # a database with no run in it
    no_run = facade("report", "--db", str(facade_db), "--format", "json", check=False)
    assert no_run.returncode == 2 and "no runs yet" in no_run.stderr
    bad = facade("cluster", "--db", str(facade_db), "--run", "abc", check=False)
    assert bad.returncode == 2 and "run id must be a number" in bad.stderr


def test_malformed_seed_lines_warn_and_crawl_goes_on(lab, tmp_path):
    good = [d for d, s in lab.world.sites.items() if s.expected_status == "ok"][:2]
    seeds = tmp_path / "mixed.txt"
    seeds.write_text(f"# test\n{good[0]}\nnot a domain!!\nhttps://www.{good[1]}/about\n")
    out = facade("crawl", str(seeds), *lab.crawl_args(), "--db", str(tmp_path / "m.db"),
                 "--quiet")
    assert "mixed.txt:3: skipped 'not a domain!!'" in out.stderr
    assert "2 ok" in out.stdout


def test_every_linked_pair_explained(lab_run):
    threshold = 1.0
    for cluster in lab_run["report"]["clusters"]:
        if cluster["size"] == 1:
            assert cluster["links"] == []
            continue
        assert len(cluster["links"]) >= cluster["size"] - 1
        for link in cluster["links"]:
            assert set(link["domains"]) <= set(cluster["domains"])
            assert link["score"] >= threshold
            assert abs(sum(link["kinds"].values()) - link["score"]) < 1e-6


@pytest.mark.parametrize("seed", [2, 3])
def test_quality_holds_on_other_lab_worlds(seed, tmp_path):
    from crawler.lab.server import LabServer

    with LabServer(seed=seed, folder=tmp_path / "lab") as other:
        facade("run", str(other.seeds_file), *other.crawl_args(), "--db",
               str(tmp_path / "f.db"), "-o", str(tmp_path / "r"), "--quiet")
        truth = json.loads(other.truth_file.read_text())
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    precision, recall = pairwise_scores(report, truth)
    assert precision >= 0.97 and recall >= 0.97


def test_registration_by_rdap_with_whois_fallback_and_hosting_by_asn_table(lab_run, lab):
    con = sqlite3.connect(lab_run["db"])
    rows = con.execute("select domain, source, data, error from enrichment where run_id=1")
    by_site: dict[str, dict] = {}
    for domain, source, data, error in rows:
        by_site.setdefault(domain, {})[source] = (json.loads(data) if data else None, error)
    com = next(d for d, s in lab.world.sites.items() if d.endswith(".com") and s.dns)
    assert by_site[com]["rdap"][0]["registrar"] and "whois" not in by_site[com]
    asia = next(d for d, s in lab.world.sites.items() if d.endswith(".asia") and s.dns)
    assert "HTTP 404" in by_site[asia]["rdap"][1] and by_site[asia]["whois"][0]["registrar"]
    sources = {owner["source"] for site in by_site.values()
               for owner in ((site.get("ipwhois") or (None,))[0] or {}).values()}
    assert sources == {"asn-db", "rdap"}  # the table misses one provider on purpose


def test_evidence_config_replaces_the_shipped_weights(lab_run, tmp_path):
    import tomllib

    from analysis.config import default_config

    cfg = default_config()
    strict = tmp_path / "strict.toml"
    lines = ["link_threshold = 100.0", "[text]"]
    lines += [f"{k} = {v!r}" for k, v in cfg["text"].items()]
    for section in ("kinds", "pairs"):
        for name, values in cfg[section].items():
            lines.append(f"[{section}.{name}]")
            lines += [f"{k} = {json.dumps(v)}" for k, v in values.items()]
    strict.write_text("\n".join(lines) + "\n")
    assert tomllib.loads(strict.read_text())["link_threshold"] == 100.0
    out = facade("cluster", "--db", str(lab_run["db"]), "--run", "1",
                 "--evidence-config", str(strict), "--quiet")
    assert ", 0 linking" in out.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text("link_threshold = [")
    err = facade("cluster", "--db", str(lab_run["db"]), "--evidence-config", str(bad),
                 check=False)
    assert err.returncode == 2 and "Traceback" not in err.stderr
    facade("cluster", "--db", str(lab_run["db"]), "--run", "1", "--quiet")  # restore


def test_robots_obeyed_by_default_and_ignorable(lab_run, lab, tmp_path):
    polite = next(d for d, s in lab.world.sites.items() if "/robots.txt" in s.files)
    con = sqlite3.connect(lab_run["db"])
    urls = [u for (u,) in con.execute("select url from pages where domain=?", (polite,))]
    assert urls and not [u for u in urls if u.endswith("/services")]
    assert lab_run["report"]["run"]["options"]["robots"] == "obey"
    seeds = tmp_path / "one.txt"
    seeds.write_text(polite + "\n")
    facade("crawl", str(seeds), *lab.crawl_args(), "--robots", "ignore", "--db",
           str(tmp_path / "r.db"), "--quiet", "--user-agent", "facade-test/1.0", "--delay", "0.05")
    con = sqlite3.connect(tmp_path / "r.db")
    urls = [u for (u,) in con.execute("select url from pages where domain=?", (polite,))]
    assert [u for u in urls if u.endswith("/services")]
    options = json.loads(con.execute("select options from runs").fetchone()[0])
    assert options["robots"] == "ignore" and options["user_agent"] == "facade-test/1.0"
