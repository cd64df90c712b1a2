"""The evidence graph (networkx) as GraphML and GEXF, for Gephi and link-analysis tools.

Nodes are sites (status, cluster, title); edges are linked pairs with their score and the
weight of each evidence kind they share.
"""

from __future__ import annotations

import networkx as nx


def evidence_graph(report: dict) -> nx.Graph:
    graph = nx.Graph(name=f"facade run {report['run']['id']}")
    for s in report["sites"]:
        f = s.get("features", {})
        graph.add_node(s["domain"], status=s["status"], cluster=s.get("cluster") or "",
                       title=f.get("title") or "", registrar=f.get("registrar") or "")
    for c in report["clusters"]:
        for link in c.get("links", []):
            a, b = link["domains"]
            kinds = link["kinds"]
            graph.add_edge(a, b, weight=float(link["score"]), cluster=c["id"],
                           kinds=" ".join(sorted(kinds)),
                           label=", ".join(f"{k} {w:.2f}" for k, w in sorted(kinds.items())))
    return graph


def graphml(report: dict) -> str:
    return "\n".join(nx.generate_graphml(evidence_graph(report)))


def gexf(report: dict) -> str:
    return "\n".join(nx.generate_gexf(evidence_graph(report)))
