"""Issue 5: every export of the lab world's report, read back with the tools that consume it."""

import csv
import io
import json

import networkx as nx
import pytest
import stix2
from pymisp import MISPEvent

from analysis.export_csv import CLUSTER_COLUMNS, LINK_COLUMNS, SITE_COLUMNS
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
    related = [r for r in by_type["relationship"] if r.relationship_type == "related-to"]
    assert len(related) == sum(len(c["links"]) for c in linked)
    kinds = {k for r in related for k in r.x_facade_evidence_kinds}
    assert set(PLANTED_EVIDENCE.values()) <= kinds
    assert by_type["x509-certificate"] and by_type["email-addr"] and by_type["ipv4-addr"]


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
