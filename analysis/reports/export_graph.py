"""The evidence graph as GraphML and GEXF, for Gephi and link-analysis tools.

Nodes are sites (status, cluster, title, registrar); edges are linked pairs with their score
and the weight of each evidence kind they share. Both files are written a node at a time, as
networkx writes them (the tests read them back with networkx), so a run of a million sites
is never held as a graph: only its linked pairs are.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

# Characters XML 1.0 does not allow (C0 controls but tab and line ends, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_KEEP = {"\r": "&#13;"}  # a carriage return in text survives parsing only as a reference
NODE_FIELDS = ("status", "cluster", "title", "registrar")
EDGE_FIELDS = ("weight", "cluster", "kinds", "label")
_XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
GRAPHML_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    f'<graphml xmlns="http://graphml.graphdrawing.org/xmlns" {_XSI} xsi:schemaLocation='
    '"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/'
    'graphml.xsd">\n')
GEXF_HEAD = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    f'<gexf xmlns="http://www.gexf.net/1.2draft" {_XSI} xsi:schemaLocation='
    '"http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
    "  <meta>\n    <creator>facade</creator>\n  </meta>\n")


def xml_text(value) -> str:
    """A value as text XML can hold: illegal characters replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value if value is not None else ""))


def _attr(value) -> str:
    return quoteattr(xml_text(value))


def _text(value) -> str:
    return escape(xml_text(value), _KEEP)


def _edges(report: dict) -> dict[tuple[str, str], dict]:
    """Each linked pair once (the last link of a pair wins, as in a networkx Graph)."""
    out: dict[tuple[str, str], dict] = {}
    for c in report["clusters"]:
        for link in c.get("links", []):
            a, b = (xml_text(d) for d in link["domains"])
            kinds = link["kinds"]
            out.pop((b, a), None)
            out[(a, b)] = {"weight": float(link["score"]), "cluster": xml_text(c["id"]),
                           "kinds": xml_text(" ".join(sorted(kinds))),
                           "label": xml_text(", ".join(f"{k} {w:.2f}"
                                                       for k, w in sorted(kinds.items())))}
    return out


def _nodes(report: dict, edges: dict) -> Iterator[tuple[str, dict | None]]:
    """(node id, its fields) of every site, then (id, None) for a linked domain that is no
    site of the report."""
    seen = set()
    for s in report["sites"]:
        f = s.get("features", {})
        node = xml_text(s["domain"])
        if node in seen:
            continue
        seen.add(node)
        yield node, {"status": s["status"], "cluster": s.get("cluster"),
                     "title": f.get("title"), "registrar": f.get("registrar")}
    for pair in edges:
        for node in pair:
            if node not in seen:
                seen.add(node)
                yield node, None


def write_graphml_to(out: TextIO, report: dict) -> None:
    edges = _edges(report)
    out.write(GRAPHML_HEAD)
    out.write('  <key id="g" for="graph" attr.name="name" attr.type="string" />\n')
    for i, name in enumerate(NODE_FIELDS):
        out.write(f'  <key id="n{i}" for="node" attr.name="{name}" attr.type="string" />\n')
    for i, name in enumerate(EDGE_FIELDS):
        kind = "double" if name == "weight" else "string"
        out.write(f'  <key id="e{i}" for="edge" attr.name="{name}" attr.type="{kind}" />\n')
    out.write('  <graph edgedefault="undirected">\n')
    out.write(f'    <data key="g">{_text("facade run " + str(report["run"]["id"]))}</data>\n')
    for node, fields in _nodes(report, edges):
        data = "".join(f'<data key="n{i}">{_text(fields[name])}</data>'
                       for i, name in enumerate(NODE_FIELDS)) if fields else ""
        out.write(f"    <node id={_attr(node)}>{data}</node>\n")
    for (a, b), fields in edges.items():
        data = "".join(f'<data key="e{i}">{_text(fields[name])}</data>'
                       for i, name in enumerate(EDGE_FIELDS))
        out.write(f"    <edge source={_attr(a)} target={_attr(b)}>{data}</edge>\n")
    out.write("  </graph>\n</graphml>\n")


def write_gexf_to(out: TextIO, report: dict) -> None:
    edges = _edges(report)
    out.write(GEXF_HEAD)
    name = _attr("facade run " + str(report["run"]["id"]))
    out.write(f'  <graph defaultedgetype="undirected" mode="static" name={name}>\n')
    out.write('    <attributes mode="static" class="node">\n')
    for i, field in enumerate(NODE_FIELDS):
        out.write(f'      <attribute id="n{i}" title="{field}" type="string" />\n')
    out.write('    </attributes>\n    <attributes mode="static" class="edge">\n'
              '      <attribute id="e1" title="cluster" type="string" />\n'
              '      <attribute id="e2" title="kinds" type="string" />\n'
              "    </attributes>\n    <nodes>\n")
    for node, fields in _nodes(report, edges):
        values = "".join(f"<attvalue for=\"n{i}\" value={_attr(fields[field])} />"
                         for i, field in enumerate(NODE_FIELDS)) if fields else ""
        out.write(f"      <node id={_attr(node)} label={_attr(node)}>"
                  + (f"<attvalues>{values}</attvalues>" if values else "") + "</node>\n")
    out.write("    </nodes>\n    <edges>\n")
    for n, ((a, b), fields) in enumerate(edges.items()):
        out.write(f'      <edge source={_attr(a)} target={_attr(b)} id="{n}"'
                  f' label={_attr(fields["label"])} weight="{fields["weight"]!r}">'
                  f'<attvalues><attvalue for="e1" value={_attr(fields["cluster"])} />'
                  f'<attvalue for="e2" value={_attr(fields["kinds"])} /></attvalues></edge>\n')
    out.write("    </edges>\n  </graph>\n</gexf>\n")


def graphml(report: dict) -> str:
    out = io.StringIO()
    write_graphml_to(out, report)
    return out.getvalue()


def gexf(report: dict) -> str:
    out = io.StringIO()
    write_gexf_to(out, report)
    return out.getvalue()


def write_graphml(report: dict, warnings: list[str], path: Path) -> None:
    """The exporter (analysis/reports/exports.py)."""
    with open(path, "w", encoding="utf-8") as out:
        write_graphml_to(out, report)


def write_gexf(report: dict, warnings: list[str], path: Path) -> None:
    """The exporter (analysis/reports/exports.py)."""
    with open(path, "w", encoding="utf-8") as out:
        write_gexf_to(out, report)
