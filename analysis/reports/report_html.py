"""The HTML report: one self-contained file, every crawled string escaped.

Jinja2 autoescaping escapes every value. A Content-Security-Policy allows exactly one script,
the report's own filter (by its SHA-256), so nothing from a crawled page can run in the
analyst's browser even if escaping failed. With JavaScript off the report is complete; the
filter only hides what does not match.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from importlib import resources

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


def _near_misses(clusters: list[dict]) -> dict[str, list[dict]]:
    """domain -> its near misses (pairs at half the threshold or more, not linked)."""
    out: dict[str, list[dict]] = {}
    for c in clusters:
        for miss in c.get("near_misses", []):
            for d in miss["domains"]:
                if d in c["domains"]:
                    other = next(x for x in miss["domains"] if x != d)
                    out.setdefault(d, []).append({**miss, "other": other})
    return out


def render_html(report: dict) -> str:
    """Render a ``facade.report/1`` dict as a standalone HTML page."""
    sites = {s["domain"]: s for s in report["sites"]}
    every_linked = [c for c in report["clusters"] if c["size"] > 1]
    linked = every_linked[:MAX_CLUSTERS]
    near = _near_misses(report["clusters"])
    alone = sorted((sites[c["domains"][0]] for c in report["clusters"] if c["size"] == 1),
                   key=lambda s: (s["domain"] not in near, s["domain"]))
    failed = [s for s in report["sites"] if s["status"] != "ok"]
    kinds = sorted({e["kind"] for c in linked for e in c["evidence"]})
    threshold = report["run"].get("link_threshold")
    new = new_sites(report)
    graphs = {c["id"]: cluster_graph(c, threshold, new) for c in linked}
    edge_kinds = sorted({edge_kind(link) for c in linked for link in c.get("links", [])})
    rows = overview(every_linked[:MAX_OVERVIEW], report.get("diff"))
    return _ENV.get_template("report.html.j2").render(
        report=report, run=report["run"], sites=sites, linked=linked,
        alone=alone[:MAX_SITES], failed=failed[:MAX_SITES],
        more={"clusters": len(every_linked) - len(linked),
              "overview": len(every_linked) - len(rows),
              "alone": max(0, len(alone) - MAX_SITES), "failed": max(0, len(failed) - MAX_SITES)},
        alone_count=len(alone), overview_by_id={o.id: o for o in rows},
        commons=report.get("commons", []), split_evidence=split_evidence,
        clusters_by_id={c["id"]: c for c in report["clusters"]}, kinds=kinds,
        duration=_duration(report["run"]), script=Markup(FILTER_JS), script_hash=SCRIPT_HASH,
        graphs=graphs, svg={cid: Markup(g.svg) for cid, g in graphs.items()},
        legend=Markup(legend(edge_kinds)), sample=lambda k: Markup(line_sample(k)),
        search={c["id"]: _search_text(c, sites) for c in every_linked[:MAX_OVERVIEW]},
        site_search=_site_search,
        captured={d for d, s in sites.items() if s.get("captured_at")},
        overview=rows, threshold=threshold,
        counts=value_counts(report), linking={c["id"]: linking_values(c) for c in linked},
        new=new, near=near, words_diff=words_diff,
    )


def html_text(report: dict, warnings: list[str]) -> str:
    """The exporter (analysis/reports/exports.py)."""
    return render_html(report)
