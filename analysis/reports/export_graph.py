"""The evidence graph (networkx) as GraphML and GEXF, for Gephi and link-analysis tools.

Nodes are sites (status, cluster, title); edges are linked pairs with their score and the
weight of each evidence kind they share.
"""

from __future__ import annotations

import re

import networkx as nx

# Characters XML 1.0 does not allow (C0 controls but tab and line ends, surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value) -> str:
    """A value as text XML can hold: illegal characters replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", str(value if value is not None else ""))


def evidence_graph(report: dict) -> nx.Graph:
    graph = nx.Graph(name=xml_text(f"facade run {report['run']['id']}"))
    for s in report["sites"]:
        f = s.get("features", {})
        graph.add_node(xml_text(s["domain"]), status=xml_text(s["status"]),
                       cluster=xml_text(s.get("cluster")), title=xml_text(f.get("title")),
                       registrar=xml_text(f.get("registrar")))
    for c in report["clusters"]:
        for link in c.get("links", []):
            a, b = (xml_text(d) for d in link["domains"])
            kinds = link["kinds"]
            graph.add_edge(a, b, weight=float(link["score"]), cluster=xml_text(c["id"]),
                           kinds=xml_text(" ".join(sorted(kinds))),
                           label=xml_text(", ".join(f"{k} {w:.2f}"
                                                    for k, w in sorted(kinds.items()))))
    return graph


def graphml(report: dict) -> str:
    return "\n".join(nx.generate_graphml(evidence_graph(report)))


def gexf(report: dict) -> str:
    return "\n".join(nx.generate_gexf(evidence_graph(report)))


def graphml_text(report: dict, warnings: list[str]) -> str:
    """The exporter (analysis/reports/exports.py)."""
    return graphml(report)


def gexf_text(report: dict, warnings: list[str]) -> str:
    """The exporter (analysis/reports/exports.py)."""
    return gexf(report)
