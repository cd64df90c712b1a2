"""Issue 5: every export of the lab world's report, read back with the tools that consume it."""

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
import stix2
from pymisp import MISPEvent

from analysis.reports.export_csv import CLUSTER_COLUMNS, LINK_COLUMNS, SITE_COLUMNS
from crawler.lab.world import PLANTED_EVIDENCE

pytestmark = pytest.mark.e2e


def _read(lab_run, name):
    return (lab_run["out"] / "reports" / name).read_text(encoding="utf-8")


def test_run_writes_every_format_into_one_folder(lab_run):
    for line in ("json", "html", "csv", "stix", "misp", "graphml", "gexf"):
        assert any(row.split()[:1] == [line] for row in lab_run["proc"].stdout.splitlines())
    folder = lab_run["out"] / "reports"
    names = {p.name for p in folder.iterdir()} | {f"csv/{p.name}" for p in (folder / "csv")
                                                 .iterdir()}
    assert {"report.json", "report.html", "report.stix.json", "report.misp.json",
            "evidence.graphml", "evidence.gexf", "csv/sites.csv", "csv/links.csv",
            "csv/clusters.csv"} <= names


def test_the_console_counts_sites_as_the_report_does(lab_run):
    """The crawl's summary line and the report agree: seeds and references apart."""
    run = lab_run["report"]["run"]
    line = next(r for r in lab_run["proc"].stdout.splitlines() if r.startswith("run "))
    refs = len(lab_run["truth"]["references"])
    assert line.startswith(f"run {run['id']}: {run['seeds']} sites (")
    assert f" + {refs} references, {run['pages']} pages" in line


def test_csv_tables(lab_run):
    report = lab_run["report"]
    sites = list(csv.reader(io.StringIO(_read(lab_run, "csv/sites.csv"))))
    links = list(csv.reader(io.StringIO(_read(lab_run, "csv/links.csv"))))
    clusters = list(csv.reader(io.StringIO(_read(lab_run, "csv/clusters.csv"))))
    assert sites[0] == SITE_COLUMNS and links[0] == LINK_COLUMNS
    assert clusters[0] == CLUSTER_COLUMNS
    assert len(sites) - 1 == len(report["sites"])
    assert len(links) - 1 == sum(len(c["evidence"]) for c in report["clusters"])
    assert len(clusters) - 1 == len(report["clusters"])
    hostile = next(r for r in sites[1:] if "__facade_xss" in r[4])
    assert hostile[4].endswith("</script>")  # kept verbatim: CSV is data, not markup


def test_stix_bundle_parses_back_and_holds_every_cluster(lab_run):
    report = lab_run["report"]
    bundle = stix2.parse(_read(lab_run, "report.stix.json"), allow_custom=True)
    by_type: dict[str, list] = {}
    for obj in bundle.objects:
        by_type.setdefault(obj.type, []).append(obj)
    ids = {obj.id for obj in bundle.objects}
    domains = {o.value: o for o in by_type["domain-name"]}
    assert set(domains) == {s["domain"] for s in report["sites"]}
    linked = [c for c in report["clusters"] if c["size"] > 1]
    assert len(by_type["grouping"]) == len(linked) == len(by_type["infrastructure"])
    for obj in bundle.objects:
        for ref in [*obj.get("object_refs", []), *obj.get("resolves_to_refs", []),
                    obj.get("source_ref"), obj.get("target_ref"), obj.get("created_by_ref")]:
            assert ref is None or ref in ids, (obj.id, ref)
    for cluster in linked:
        group = next(g for g in by_type["grouping"] if g.name.endswith(cluster["id"]))
        members = {o.value for o in bundle.objects
                   if o.type == "domain-name" and o.id in group.object_refs}
        assert members == set(cluster["domains"])
    from analysis.reports.export_stix import EXTENSION_ID

    pairs = [r for r in by_type["relationship"] if r.relationship_type == "related-to"
             and r.source_ref.startswith("domain-name") and r.target_ref.startswith("domain")]
    assert len(pairs) == sum(len(c["links"]) for c in linked)
    kinds = {k for r in pairs for k in r.extensions[EXTENSION_ID]["evidence_kinds"]}
    assert set(PLANTED_EVIDENCE.values()) <= kinds
    assert all(r.extensions[EXTENSION_ID]["score"] >= 1.0 for r in pairs)
    assert by_type["x509-certificate"] and by_type["email-addr"] and by_type["ipv4-addr"]
    # Every observable belongs to a site: a relationship or a resolves_to_refs points at it.
    pointed = {r.target_ref for r in by_type["relationship"]} | {
        ref for d in by_type["domain-name"] for ref in d.get("resolves_to_refs", [])}
    for kind in ("email-addr", "x509-certificate", "ipv4-addr"):
        assert all(o.id in pointed for o in by_type[kind]), kind
    cert = by_type["x509-certificate"][0]
    assert cert.subject and cert.issuer and cert.serial_number
    assert cert.validity_not_before < cert.validity_not_after
    status = {d.value: d.extensions[EXTENSION_ID]["status"] for d in domains.values()}
    assert status == {s["domain"]: s["status"] for s in report["sites"]}
    assert by_type["extension-definition"][0].id == EXTENSION_ID


def test_stix_bundle_is_valid_under_the_strict_validator(lab_run):
    """OASIS stix2-validator, offline, --strict: no custom properties outside the published
    extension, UUIDv4 ids for SDOs and SROs, every check that is about style met."""
    from stix2validator import ValidationOptions, validate_file

    path = lab_run["out"] / "reports" / "report.stix.json"
    results = validate_file(str(path), ValidationOptions(strict=True))
    problems = [f"{e}" for r in results.object_results for e in r.errors]
    assert results.is_valid, problems[:10]
    loose = validate_file(str(path), ValidationOptions())
    assert not [w for r in loose.object_results for w in r.warnings]  # no warning either


def test_misp_event_loads_back(lab_run):
    report = lab_run["report"]
    event = MISPEvent()
    event.load(_read(lab_run, "report.misp.json"))
    names = [o.name for o in event.objects]
    assert names.count("domain-ip") == len(report["sites"])
    assert "whois" in names and "x509" in names
    tagged = {}
    for obj in event.objects:
        if obj.name == "domain-ip":
            attr = next(a for a in obj.attributes if a.object_relation == "domain")
            for tag in attr.tags:
                tagged[attr.value] = tag.name
    clustered = {s["domain"]: s["cluster"] for s in report["sites"] if s["cluster"]}
    assert tagged == {d: f'facade:cluster="{c}"' for d, c in clustered.items()}
    references = [r for o in event.objects for r in o.references
                  if getattr(r, "comment", "").startswith("facade C")]
    assert len(references) == sum(len(c["links"]) for c in report["clusters"])


def test_graph_exchange_files(lab_run):
    graph = nx.read_graphml(io.BytesIO(_read(lab_run, "evidence.graphml").encode()))
    report = lab_run["report"]
    assert graph.number_of_nodes() == len(report["sites"])
    assert graph.number_of_edges() == sum(len(c["links"]) for c in report["clusters"])
    gexf = nx.read_gexf(io.BytesIO(_read(lab_run, "evidence.gexf").encode()))
    assert gexf.number_of_edges() == graph.number_of_edges()


def test_report_command_writes_each_format(lab_run, tmp_path):
    from tests.conftest import facade

    for fmt, name in (("stix", "b.stix.json"), ("csv", "tables"), ("graphml", "g.graphml")):
        facade("report", "--db", str(lab_run["db"]), "--format", fmt, "-o",
               str(tmp_path / name))
    assert json.loads((tmp_path / "b.stix.json").read_text())["type"] == "bundle"
    assert (tmp_path / "tables" / "links.csv").exists()


def test_misp_objects_match_their_templates_and_commons_do_not_correlate(lab_run):
    """Against the misp-objects definitions pymisp ships: every attribute is one its
    template has, with the template's type; privacy and common values do not correlate and
    are not for IDS; only sites that answered are indicators; the registration fields the
    whois template has and the run knows are there."""
    import pymisp

    templates = Path(pymisp.__file__).parent / "data" / "misp-objects" / "objects"
    report = lab_run["report"]
    event = json.loads(_read(lab_run, "report.misp.json"))
    event = event.get("Event", event)
    status = {s["domain"]: s["status"] for s in report["sites"]}
    common = {str(e["value"]) for e in report["commons"]}
    seen_fields: set[str] = set()
    for obj in event["Object"]:
        template = json.loads((templates / obj["name"] / "definition.json").read_text())
        known = template["attributes"]
        relations = {a["object_relation"] for a in obj["Attribute"]}
        if template.get("requiredOneOf"):
            assert relations & set(template["requiredOneOf"]), obj["name"]
        domain = next((a["value"] for a in obj["Attribute"]
                       if a["object_relation"] == "domain"), None)
        for attr in obj["Attribute"]:
            relation = attr["object_relation"]
            assert relation in known, (obj["name"], relation)
            assert attr["type"] == known[relation]["misp-attribute"], (obj["name"], relation)
            if obj["name"] == "whois":
                seen_fields.add(relation)
            if relation.startswith("registrant-") and "privacy service" in attr.get(
                    "comment", ""):
                assert attr["disable_correlation"] and not attr["to_ids"]
            if attr["value"] in common:
                assert attr["disable_correlation"] and not attr["to_ids"], attr["value"]
            if domain and status.get(domain) not in (None, "ok"):
                assert not attr.get("to_ids"), (domain, relation)
    assert {"registrar", "creation-date", "expiration-date", "nameserver"} <= seen_fields
    privacy = [a for o in event["Object"] for a in o["Attribute"]
               if a["value"] == "contact@withheldforprivacy.com"]
    assert privacy and all(a["disable_correlation"] for a in privacy)
    ok_domains = [a for o in event["Object"] if o["name"] == "domain-ip"
                  for a in o["Attribute"] if a["object_relation"] == "domain"
                  and status[a["value"]] == "ok" and a["value"] not in common]
    assert ok_domains and all(a["to_ids"] for a in ok_domains)


def test_stix_observable_ids_are_the_ones_stix_defines():
    """Observables are written as dicts: their ids must be the UUIDv5 of their contributing
    properties that the stix2 library (and every consumer) computes, so the same address or
    certificate in two bundles is one object."""
    from analysis.reports.export_stix import stix_bundle

    report = {"run": {"id": "3", "finished_at": "2026-01-05T10:00:00+00:00"}, "clusters": [],
              "sites": [{"domain": "ацме.com", "status": "ok", "features": {
                  "ips": ["192.0.2.7", "2001:db8::1"], "emails": ["info@acme.com"],
                  "cert_sha256": "ab" * 32, "cert_serial": "3f2a", "cert_subject": "CN=a",
                  "cert_not_before": "2025-01-01T00:00:00+00:00",
                  "cert_not_after": "2026-01-01T00:00:00+00:00"}}]}
    objects = {o["type"]: o for o in stix_bundle(report)["objects"]}
    assert objects["domain-name"]["id"] == stix2.DomainName(value="ацме.com").id
    assert objects["ipv4-addr"]["id"] == stix2.IPv4Address(value="192.0.2.7").id
    assert objects["ipv6-addr"]["id"] == stix2.IPv6Address(value="2001:db8::1").id
    assert objects["email-addr"]["id"] == stix2.EmailAddress(value="info@acme.com").id
    assert objects["x509-certificate"]["id"] == stix2.X509Certificate(
        hashes={"SHA-256": "ab" * 32}, serial_number="3f2a").id
    stix2.parse(json.dumps(stix_bundle(report)))


def test_reading_a_report_never_writes(tmp_path):
    """`facade report` of a run never clustered (an import) derives what it shows and
    stores nothing: the run stays as it was, byte for byte."""
    import hashlib
    import sqlite3

    from tests.conftest import facade

    lines = [json.dumps({"domain": f"s{i}.com", "pages": [
        {"url": f"https://s{i}.com/", "html": f"<title>S{i}</title><p>hello {i}</p>"}],
        "features": {"analytics_ids": ["G-SHARED1"],
                     "registrant_email": "contact@withheldforprivacy.com"}})
        for i in range(3)]
    (tmp_path / "s.jsonl").write_text("\n".join(lines) + "\n")
    db = tmp_path / "r.db"
    facade("import", str(tmp_path / "s.jsonl"), "--db", str(db))
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    out = facade("report", "--db", str(db), "--format", "json", "-o", str(tmp_path / "r.json"))
    assert out.returncode == 0
    report = json.loads((tmp_path / "r.json").read_text())
    assert [c["size"] for c in report["clusters"] if c["size"] > 1] == [3]
    con = sqlite3.connect(db)
    assert con.execute("select state from runs").fetchone()[0] == "crawled"
    assert con.execute("select count(*) from clusters").fetchone()[0] == 0
    con.close()
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    # Clustered, the commons keep why they were ignored in a column of their own.
    facade("cluster", "--db", str(db))
    commons = json.loads(facade("report", "--db", str(db), "--format", "json", "-o",
                                str(tmp_path / "c.json")).returncode == 0 and
                         (tmp_path / "c.json").read_text())["commons"]
    con = sqlite3.connect(db)
    stored = con.execute("select common from links where weight = 0").fetchall()
    assert stored and all(row[0] for row in stored) and len(stored) == len(commons)
    assert all(c["common"] for c in commons)


def test_a_clustered_run_is_streamed_from_the_store_as_it_was_stored(lab_run, monkeypatch):
    """A report of a clustered run reads its sites and clusters from the store a batch at
    a time (a million sites are never held); written out, it is the report assembled from
    every stored record at once."""
    from analysis.config import default_config
    from analysis.reports.report_json import build_report
    from analysis.reports.streamed import Streamed, write_json
    from crawler.runs.reporting import report_dict
    from crawler.store import Store, report_rows

    monkeypatch.setattr(report_rows, "BATCH", 7)  # many batches, even in the lab world
    store = Store(lab_run["db"], create=False)
    run_id = int(lab_run["report"]["run"]["id"])  # the run `facade run` clustered
    assert store.run_info(run_id)["state"] == "clustered"
    streamed = report_dict(store, run_id, default_config(), with_diff=False)
    assert isinstance(streamed["sites"], Streamed) and isinstance(streamed["clusters"], Streamed)
    with pytest.raises(TypeError):
        streamed["sites"][0]
    held = build_report(store.run_info(run_id), store.sites(run_id), store.features(run_id),
                        store.clusters(run_id), store.page_count(run_id),
                        store.common_links(run_id))
    seen = store.first_last_seen(run_id)
    for site in held["sites"]:
        site["first_seen"], site["last_seen"] = seen.get(site["domain"], (None, None))
    out = io.StringIO()
    write_json(streamed, out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(held))
    assert len(held["sites"]) > 7 and len(held["clusters"]) > 7
