"""A cluster's evidence graph as inline SVG, drawn at report time: sites are nodes, linked
pairs are edges coloured by their heaviest evidence kind and labelled with it.

Every string is escaped; the SVG has no script and no external reference.
"""

from __future__ import annotations

import math
from html import escape

import networkx as nx

PALETTE = {
    "text_similarity": "#d9480f", "analytics_id": "#1971c2", "registrant_email": "#7048e8",
    "registrant": "#9c36b5", "certificate": "#2b8a3e", "certificate_san": "#37b24d",
    "redirect": "#e67700", "favicon": "#0c8599", "asset": "#5c940d", "email": "#c2255c",
    "phone": "#a61e4d", "wallet": "#f08c00", "social": "#1864ab", "postal_address": "#862e9c",
    "site_verification": "#087f5b", "soa_rname": "#364fc7",
}
WEAK = "#868e96"
WIDTH, HEIGHT, MAX_LABELLED = 560, 360, 40


def kind_colour(kind: str) -> str:
    return PALETTE.get(kind, WEAK)


def _positions(domains: list[str], edges: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    if len(domains) <= 12:
        step = 2 * math.pi / len(domains)
        return {d: (math.cos(i * step - math.pi / 2), math.sin(i * step - math.pi / 2))
                for i, d in enumerate(domains)}
    graph = nx.Graph()
    graph.add_nodes_from(domains)
    graph.add_edges_from(edges)
    return {d: (float(x), float(y)) for d, (x, y) in nx.spring_layout(graph, seed=1).items()}


def edge_kind(link: dict) -> str:
    """The kind an edge is drawn in: the heaviest evidence of the pair."""
    return max(link["kinds"], key=link["kinds"].get)


def cluster_svg(cluster: dict) -> str:
    """SVG markup for one cluster (``id``, ``domains``, ``links``). Edges are labelled with
    their kind unless every edge has the same one (the caption says it then)."""
    domains = cluster["domains"]
    links = cluster.get("links", [])
    label_edges = len({edge_kind(link) for link in links}) > 1 and len(links) <= MAX_LABELLED
    pos = _positions(domains, [tuple(link["domains"]) for link in links])
    xs = [p[0] for p in pos.values()] or [0]
    ys = [p[1] for p in pos.values()] or [0]
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1

    def at(domain: str) -> tuple[float, float]:
        x, y = pos[domain]
        return (70 + (x - min(xs)) / span_x * (WIDTH - 140),
                40 + (y - min(ys)) / span_y * (HEIGHT - 80))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'class="graph" role="img" aria-label="evidence graph of {escape(cluster["id"])}">']
    for link in links:
        a, b = link["domains"]
        kind = edge_kind(link)
        (x1, y1), (x2, y2) = at(a), at(b)
        title = escape(", ".join(f"{k} {w:.2f}" for k, w in sorted(link["kinds"].items())))
        parts.append(f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" '
                     f'stroke="{kind_colour(kind)}" stroke-width="2"><title>{escape(a)} – '
                     f'{escape(b)}: {title}</title></line>')
        if label_edges:
            parts.append(f'<text x="{(x1 + x2) / 2:.0f}" y="{(y1 + y2) / 2 - 3:.0f}" '
                         f'class="edge" fill="{kind_colour(kind)}">{escape(kind)}</text>')
    for d in domains:
        x, y = at(d)
        parts.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="7"><title>{escape(d)}</title>'
                     f'</circle><text x="{x:.0f}" y="{y + 20:.0f}" class="node">{escape(d)}</text>')
    if links and not label_edges:
        kinds = sorted({edge_kind(link) for link in links})
        parts.append(f'<text x="10" y="{HEIGHT - 10}" class="caption" '
                     f'fill="{kind_colour(kinds[0])}">every link: {escape(", ".join(kinds))}'
                     "</text>")
    parts.append("</svg>")
    return "".join(parts)


def legend(kinds: list[str]) -> str:
    return "".join(f'<span class="swatch" style="background:{kind_colour(k)}"></span>'
                   f'{escape(k)} ' for k in kinds)
