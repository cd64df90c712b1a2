"""The HTML report: one self-contained file, every crawled string escaped.

Jinja2 autoescaping escapes every value. A Content-Security-Policy allows exactly one script,
the report's own filter (by its SHA-256), so nothing from a crawled page can run in the
analyst's browser even if escaping failed. With JavaScript off the report is complete; the
filter only hides what does not match.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from analysis.reports.report_view import (
    linking_values,
    new_sites,
    overview,
    value_counts,
    words_diff,
    wrap,
)
from analysis.reports.svg_graph import cluster_graph, edge_kind, legend, line_sample

_ENV = Environment(
    loader=PackageLoader("analysis", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ENV.filters["wrap"] = wrap
FILTER_JS = resources.files("analysis").joinpath("templates/filter.js").read_text()
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(FILTER_JS.encode()).digest()).decode()
MAX_ROWS_PER_KIND = 8
# A run of a million sites has tens of thousands of clusters: the page shows the first of
# each list (clusters largest first; lone sites with near misses first) and says how many
# more report.json and the CSV files hold, so it opens in a browser at any size.
MAX_CLUSTERS = 300
MAX_OVERVIEW = 2000
MAX_SITES = 1000
MAX_NAMED = 50  # sites named in a common value's tooltip (it may be shared by 500,000)


def split_evidence(evidence: list[dict]) -> tuple[list[dict], list[dict]]:
    """(shown, folded): at most MAX_ROWS_PER_KIND rows of each kind are shown unfolded.

    Pairwise kinds (text similarity) grow with the square of a cluster's size; the heaviest
    rows stay in view and the rest fold into a <details> that needs no JavaScript.
    """
    shown, folded, per_kind = [], [], {}
    for e in evidence:
        per_kind[e["kind"]] = per_kind.get(e["kind"], 0) + 1
        (shown if per_kind[e["kind"]] <= MAX_ROWS_PER_KIND else folded).append(e)
    return shown, folded


def _duration(run: dict) -> str | None:
    try:
        start = datetime.fromisoformat(run["started_at"])
        end = datetime.fromisoformat(run["finished_at"])
    except (KeyError, TypeError, ValueError):
        return None
    seconds = int((end - start).total_seconds())
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def _values(features: dict) -> list[str]:
    out = []
    for value in features.values():
        out += [str(v) for v in (value if isinstance(value, list) else [value]) if v]
    return out


def _search_text(cluster: dict, sites: dict) -> str:
    """Every value a cluster's section shows: its sites, their features, its evidence."""
    words = [cluster["id"], *cluster["domains"], *[str(e["value"]) for e in cluster["evidence"]]]
    for d in cluster["domains"]:
        if d in sites:
            words += _values(sites[d].get("features") or {})
            words.append(sites[d].get("status") or "")
    return " ".join(words).lower()


def _site_search(site: dict) -> str:
    return " ".join([site["domain"], site.get("status") or "", site.get("message") or "",
                     *_values(site.get("features") or {})]).lower()


def _own_near_misses(cluster: dict) -> dict[str, list[dict]]:
    """domain -> its near misses (pairs at half the threshold or more, not linked), for
    the members of one cluster."""
    out: dict[str, list[dict]] = {}
    for miss in cluster.get("near_misses", []):
        for d in miss["domains"]:
            if d in cluster["domains"]:
                other = next(x for x in miss["domains"] if x != d)
                out.setdefault(d, []).append({**miss, "other": other})
    return out


@dataclass
class _Clusters:
    """What the page shows of the report's clusters, read in one pass: every linked
    cluster, and the lone sites to list (those with near misses first, then by domain)."""

    linked: list[dict]
    lone: list[dict]  # the clusters of one site listed, in the page's order
    lone_count: int
    near: dict[str, list[dict]]


def _read_clusters(clusters: list[dict]) -> _Clusters:
    linked: list[dict] = []
    near: dict[str, list[dict]] = {}
    lone_count = 0

    def lone():
        nonlocal lone_count
        for c in clusters:
            own = _own_near_misses(c)
            if c["size"] > 1:
                linked.append(c)
                near.update(own)
                continue
            lone_count += 1
            yield (c["domains"][0] not in own, c["domains"][0]), c, own

    # nsmallest keeps a heap of MAX_SITES: lone sites with near misses first, then by domain
    shown = heapq.nsmallest(MAX_SITES, lone(), key=lambda item: item[0])
    for _, _, own in shown:
        near.update(own)
    return _Clusters(linked, [c for _, c, _ in shown], lone_count, near)


def _read_sites(report: dict, wanted: set[str]) -> tuple[dict[str, dict], list[dict], int,
                                                          bool]:
    """One pass over the report's sites: (the wanted sites by domain, the first failed
    sites, how many failed, whether any site's pages came from a web archive)."""
    sites, failed, failed_count, archived = {}, [], 0, False
    for s in report["sites"]:
        if s["domain"] in wanted:
            sites[s["domain"]] = s
        if s["status"] != "ok":
            failed_count += 1
            if len(failed) < MAX_SITES:
                failed.append(s)
        archived = archived or bool(s.get("captured_at"))
    return sites, failed, failed_count, archived


def _shown_values(clusters: list[dict], sites: list[dict]) -> set[str]:
    values = {str(e["value"]) for c in clusters for e in c["evidence"]}
    for s in sites:
        values.update(_values(s.get("features") or {}))
        if s.get("found_by"):
            values.add(str(s["found_by"].get("value")))
    return values


def render_html(report: dict) -> str:
    """Render a ``facade.report/1`` dict as a standalone HTML page. The report's sites and
    clusters are read by iterating them (a streamed report is read from the store, twice
    for its sites: once for the sites shown, once to count how many hold their values)."""
    read = _read_clusters(report["clusters"])
    every_linked, near = read.linked, read.near
    linked = every_linked[:MAX_CLUSTERS]
    listed = every_linked[:MAX_OVERVIEW]
    wanted = {d for c in listed for d in c["domains"]} | {c["domains"][0] for c in read.lone}
    sites, failed, failed_count, archived = _read_sites(report, wanted)
    alone = [sites[c["domains"][0]] for c in read.lone if c["domains"][0] in sites]
    kinds = sorted({e["kind"] for c in linked for e in c["evidence"]})
    threshold = report["run"].get("link_threshold")
    new = new_sites(report)
    graphs = {c["id"]: cluster_graph(c, threshold, new) for c in linked}
    edge_kinds = sorted({edge_kind(link) for c in linked for link in c.get("links", [])})
    rows = overview(listed, report.get("diff"))
    shown = [sites[d] for c in linked for d in c["domains"] if d in sites] + alone
    counts = value_counts(report, only=_shown_values(linked, shown))
    return _ENV.get_template("report.html.j2").render(
        report=report, run=report["run"], sites=sites, linked=linked,
        alone=alone, failed=failed, linked_count=len(every_linked),
        more={"clusters": len(every_linked) - len(linked),
              "overview": len(every_linked) - len(rows),
              "alone": max(0, read.lone_count - len(alone)),
              "failed": max(0, failed_count - len(failed))},
        alone_count=read.lone_count, overview_by_id={o.id: o for o in rows},
        commons=report.get("commons", []), split_evidence=split_evidence,
        clusters_by_id={c["id"]: c for c in [*listed, *read.lone]}, kinds=kinds,
        duration=_duration(report["run"]), script=Markup(FILTER_JS), script_hash=SCRIPT_HASH,
        graphs=graphs, svg={cid: Markup(g.svg) for cid, g in graphs.items()},
        legend=Markup(legend(edge_kinds)), sample=lambda k: Markup(line_sample(k)),
        search={c["id"]: _search_text(c, sites) for c in listed},
        site_search=_site_search,
        captured={d for d, s in sites.items() if s.get("captured_at")},
        any_archived=archived,
        overview=rows, threshold=threshold,
        counts=counts, linking={c["id"]: linking_values(c) for c in linked},
        new=new, near=near, words_diff=words_diff, max_named=MAX_NAMED,
    )


def write_html(report: dict, warnings: list[str], path: Path) -> None:
    """The exporter (analysis/reports/exports.py): the page is bounded at any run size."""
    path.write_text(render_html(report), encoding="utf-8")
