"""A cluster's evidence graph as inline SVG, drawn at report time: sites are nodes, linked
pairs are edges drawn in the style of their heaviest kind, as thick as their score.

Styles pair a colour of the Okabe-Ito palette (told apart with the common kinds of colour
blindness) with a dash pattern, so no two kinds look alike, also printed in grey. Labels are
placed where they overlap no other label or node; a site whose label finds no room keeps its
name in the node's tooltip and in the list under the graph. Bridges, the links that alone
hold two groups of the cluster together, are drawn over a grey halo.

Every string is escaped; the SVG has no script and no external reference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

import networkx as nx

# Okabe & Ito (2008): orange, sky blue, bluish green, blue, vermillion, reddish purple, black.
ORANGE, SKY, GREEN, BLUE, RED, PURPLE, BLACK = ("#E69F00", "#56B4E9", "#009E73", "#0072B2",
                                                "#D55E00", "#CC79A7", "#000000")
SOLID, DASHED, DOTTED = "", "7 4", "2 3"
STYLES: dict[str, tuple[str, str]] = {
    "text_similarity": (RED, SOLID), "analytics_id": (BLUE, SOLID),
    "registrant_email": (PURPLE, SOLID), "registrant": (PURPLE, DASHED),
    "certificate": (GREEN, SOLID), "certificate_san": (GREEN, DASHED),
    "redirect": (ORANGE, SOLID), "favicon": (SKY, SOLID), "asset": (SKY, DASHED),
    "email": (BLACK, SOLID), "phone": (BLACK, DASHED), "wallet": (ORANGE, DASHED),
    "social": (BLUE, DASHED), "postal_address": (RED, DASHED),
    "site_verification": (GREEN, DOTTED), "soa_rname": (BLACK, DOTTED),
}
WEAK_STYLE = ("#7A7A7A", DOTTED)  # weak kinds: they only add up
WIDTH, WIDE, WIDE_FROM = 760, 1200, 40  # clusters of more than 40 sites get a wider graph
FONT_PX, CHAR_PX = 11, 6.9  # monospace labels: their width is known before a browser draws them
MAX_LABEL_CHARS = 36
MAX_DRAWN = 400  # larger clusters: the report points to the GraphML/GEXF export instead
MAX_SCORE_LABELS = 15  # more, and the numbers hide the graph (each line's tooltip has it)


def kind_style(kind: str) -> tuple[str, str]:
    """(colour, SVG dash pattern) of a kind's edges."""
    return STYLES.get(kind, WEAK_STYLE)


def edge_kind(link: dict) -> str:
    """The kind an edge is drawn in: the heaviest evidence of the pair."""
    return max(link["kinds"], key=link["kinds"].get)


@dataclass
class Graph:
    svg: str
    unlabelled: list[str] = field(default_factory=list)  # sites whose label found no room
    bridges: int = 0
    too_large: bool = False  # not drawn: more than MAX_DRAWN sites


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _overlaps(box: Box, boxes: list[Box]) -> bool:
    x0, y0, x1, y1 = box
    return any(x0 < b[2] and b[0] < x1 and y0 < b[3] and b[1] < y1 for b in boxes)


def _size(n: int) -> tuple[int, int]:
    if n > WIDE_FROM:
        return WIDE, min(1200, int(200 + 70 * math.sqrt(n)))
    return WIDTH, 300 if n <= 8 else int(200 + 95 * math.sqrt(n))


def _positions(domains: list[str], edges: list[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    if len(domains) <= 12:
        step = 2 * math.pi / len(domains)
        return {d: (math.cos(i * step - math.pi / 2), math.sin(i * step - math.pi / 2))
                for i, d in enumerate(domains)}
    graph = nx.Graph()
    graph.add_nodes_from(domains)
    graph.add_edges_from(edges)
    if len(domains) <= 200 and nx.is_connected(graph):  # spreads hubs and chains evenly
        start = nx.circular_layout(graph)  # a fixed start: the same report draws the same
        placed = nx.kamada_kawai_layout(graph, pos=start)
    else:
        placed = nx.spring_layout(graph, k=2 / math.sqrt(len(domains)), seed=1, iterations=80)
    return {d: (float(x), float(y)) for d, (x, y) in placed.items()}


def _label_box(x: float, y: float, text: str, where: str) -> tuple[Box, float, float, str]:
    """The box of ``text`` placed ``where`` around a node at (x, y); its anchor point."""
    w = len(text) * CHAR_PX + 2
    offsets = {"right": (x + 10, y + 4, "start"), "left": (x - 10, y + 4, "end"),
               "below": (x, y + 19, "middle"), "above": (x, y - 11, "middle"),
               "below-right": (x + 6, y + 17, "start"), "above-left": (x - 6, y - 9, "end")}
    tx, ty, anchor = offsets[where]
    x0 = tx if anchor == "start" else tx - w if anchor == "end" else tx - w / 2
    return (x0, ty - FONT_PX, x0 + w, ty + 3), tx, ty, anchor


def cluster_graph(cluster: dict, threshold: float | None = None,
                  new: set[str] | frozenset = frozenset()) -> Graph:
    """The graph of one cluster (``id``, ``domains``, ``links``); ``new`` sites are ringed."""
    domains = cluster["domains"]
    links = cluster.get("links", [])
    if len(domains) > MAX_DRAWN:
        return Graph("", [], 0, too_large=True)
    width, height = _size(len(domains))
    graph = nx.Graph()
    graph.add_nodes_from(domains)
    graph.add_edges_from(tuple(link["domains"]) for link in links)
    bridges = ({frozenset(e) for e in nx.bridges(graph)} if len(domains) >= 3 else set())
    pos = _positions(domains, [tuple(link["domains"]) for link in links])
    xs, ys = [p[0] for p in pos.values()] or [0], [p[1] for p in pos.values()] or [0]
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1
    margin_x = min(150, 40 + max(len(d) for d in domains) * CHAR_PX / 2)
    at = {d: (margin_x + (x - min(xs)) / span_x * (width - 2 * margin_x),
              30 + (y - min(ys)) / span_y * (height - 60)) for d, (x, y) in pos.items()}
    wide = " wide" if width == WIDE else ""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'class="graph{wide}" role="img" '
             f'aria-label="evidence graph of {escape(cluster["id"])}">']
    unit = threshold or 1.0
    for link in sorted(links, key=lambda item: item["score"]):
        a, b = link["domains"]
        (x1, y1), (x2, y2) = at[a], at[b]
        colour, dash = kind_style(edge_kind(link))
        stroke = 1.2 + 1.3 * min(link["score"] / unit, 3.0)
        parts_of = " + ".join(f"{k} {w:.2f}" for k, w in
                              sorted(link["kinds"].items(), key=lambda kv: -kv[1]))
        bridge = frozenset((a, b)) in bridges
        title = (f"{escape(a)} – {escape(b)}: score {link['score']:.2f} = {escape(parts_of)}"
                 + (" (bridge: the only link between two groups)" if bridge else ""))
        line = f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"'
        if bridge:
            parts.append(f'<line {line} class="bridge" stroke="#000" stroke-opacity="0.18" '
                         f'stroke-width="{stroke + 7:.1f}" stroke-linecap="round"/>')
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<line {line} stroke="{colour}" stroke-width="{stroke:.1f}"{dashed}>'
                     f"<title>{title}</title></line>")
    taken: list[Box] = [(x - 8, y - 8, x + 8, y + 8) for x, y in at.values()]
    labels, unlabelled = [], []
    for d in sorted(domains, key=lambda d: (-graph.degree(d), d)):
        x, y = at[d]
        text = d if len(d) <= MAX_LABEL_CHARS else d[: MAX_LABEL_CHARS - 1] + "…"
        for where in ("right", "left", "below", "above", "below-right", "above-left"):
            box, tx, ty, anchor = _label_box(x, y, text, where)
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            if inside and not _overlaps(box, taken):
                taken.append(box)
                labels.append(f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" '
                              f'class="node">{escape(text)}</text>')
                break
        else:
            unlabelled.append(d)
    if len(links) <= MAX_SCORE_LABELS:
        for link in links:
            (x1, y1), (x2, y2) = (at[d] for d in link["domains"])
            text = f"{link['score']:.2f}"
            box, tx, ty, _ = _label_box((x1 + x2) / 2, (y1 + y2) / 2 - 15, text, "below")
            if not _overlaps(box, taken):
                taken.append(box)
                labels.append(f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="middle" '
                              f'class="score">{text}</text>')
    for d in domains:
        x, y = at[d]
        ring = ' class="new"' if d in new else ""
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="6"{ring}><title>{escape(d)}'
                     f"</title></circle>")
    parts += labels
    parts.append("</svg>")
    return Graph("".join(parts), sorted(unlabelled), len(bridges))


def line_sample(kind: str) -> str:
    """A short line in the kind's style, for legends and evidence tables."""
    colour, dash = kind_style(kind)
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<svg class="sample" viewBox="0 0 28 8" width="28" height="8" aria-hidden="true">'
            f'<line x1="1" y1="4" x2="27" y2="4" stroke="{colour}" stroke-width="3"{dashed}/>'
            "</svg>")


def legend(kinds: list[str]) -> str:
    return "".join(f'<span class="lg">{line_sample(k)}{escape(k)}</span> ' for k in kinds)
