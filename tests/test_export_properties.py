"""Every export format takes arbitrary (hostile) values and gives a file its own tools parse
back: CSV cells a spreadsheet would evaluate are neutralised, XML holds only legal
characters, STIX and MISP drop what they cannot hold with a warning, never a crash."""

from __future__ import annotations

import csv
import io
import json
from itertools import pairwise

import networkx as nx
import stix2
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymisp import MISPEvent

from analysis.reports.export_csv import FORMULA_START, csv_tables
from analysis.reports.export_graph import gexf, graphml
from analysis.reports.export_misp import misp_event
from analysis.reports.export_stix import stix_bundle
from analysis.reports.report_html import render_html

ANY = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30)
HOSTILE = st.sampled_from(["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rrow",
                           "a\rb", "x\x00\x1b[31m", "\ud800", "garbage", "<script>x</script>",
                           "ZZ" * 40, "2024-13-45", "not-hex"])
VALUE = st.one_of(ANY, HOSTILE)


@st.composite
def reports(draw):
    domains = draw(st.lists(VALUE, min_size=1, max_size=4, unique=True))
    fields = ["title", "registrar", "creation_date", "registrant_email", "registrant_name",
              "registrant_org", "cert_sha256", "cert_issuer", "favicon_mmh3", "redirects_to",
              "language"]
    lists = ["ips", "asn", "hosting_org", "nameservers", "analytics_ids", "emails", "phones",
             "cert_sans"]
    sites = []
    for d in domains:
        features = {f: draw(st.one_of(st.none(), VALUE)) for f in fields}
        features.update({f: draw(st.lists(VALUE, max_size=2)) for f in lists})
        sites.append({"domain": d, "status": draw(st.sampled_from(["ok", "parked", "error"])),
                      "message": draw(st.one_of(st.none(), VALUE)), "cluster": "C0001",
                      "features": features})
    kind = draw(st.sampled_from(["analytics_id", "text_similarity"]))
    evidence = [{"kind": kind, "value": draw(VALUE), "domains": domains, "weight": 1.5,
                 "strength": "strong", "reason": draw(VALUE)}]
    links = [{"domains": [a, b], "score": 1.5, "kinds": {kind: 1.5}}
             for a, b in pairwise(domains)]
    return {"schema": "facade.report/1",
            "run": {"id": "1", "label": draw(VALUE), "started_at": "2026-11-22T10:00:00",
                    "finished_at": "2026-11-22T10:05:00", "seeds": len(sites),
                    "sites_ok": len(sites), "sites_failed": 0, "pages": 1, "options": {},
                    "warnings": []},
            "sites": sites,
            "clusters": [{"id": "C0001", "domains": domains, "size": len(domains),
                          "evidence": evidence, "links": links}],
            "commons": [], "references": []}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_every_format_parses_back(report):
    for name, text in csv_tables(report).items():
        rows = list(csv.reader(io.StringIO(text, newline="")))
        expected = {"sites.csv": len(report["sites"]), "clusters.csv": 1, "links.csv": 1}
        assert len(rows) == expected[name] + 1, name  # no forged rows
        for row in rows[1:]:
            assert not any(cell.startswith(FORMULA_START) for cell in row), row
    nx.parse_graphml(graphml(report))
    nx.read_gexf(io.BytesIO(gexf(report).encode("utf-8")))
    warnings: list[str] = []
    bundle = stix_bundle(report, warnings)
    stix2.parse(json.dumps(bundle))  # stix2 checks every object and property
    MISPEvent().load(misp_event(report, warnings).to_json())
    json.loads(json.dumps(report, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    html = render_html(report)
    assert "<script>x</script>" not in html


def test_terminal_output_carries_no_control_sequences(tmp_path):
    from tests.conftest import facade

    evil = "Evil\x1b]0;owned\x07\x1b[2J\x9b31m Registrar\u202e"
    line = {"domain": "term-site.com", "features": {"registrar": evil,
                                                     "analytics_ids": ["G-TERM\x1b[5m1"]}}
    (tmp_path / "t.jsonl").write_text(json.dumps(line) + "\n")
    db = str(tmp_path / "t.db")
    facade("import", str(tmp_path / "t.jsonl"), "--db", db)
    facade("cluster", "--db", db)
    shown = facade("history", "term-site.com", "--db", db).stdout
    assert "Registrar" in shown and "\\x1b" in shown
    assert not any(c in shown for c in ("\x1b", "\x07", "\x9b", "\u202e"))
