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

from analysis.svg_graph import cluster_svg, edge_kind, legend

_ENV = Environment(
    loader=PackageLoader("analysis", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
FILTER_JS = resources.files("analysis").joinpath("templates/filter.js").read_text()
SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(FILTER_JS.encode()).digest()).decode()
MAX_ROWS_PER_KIND = 8


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


def _search_text(cluster: dict, sites: dict) -> str:
    words = [*cluster["domains"], *[e["value"] for e in cluster["evidence"]]]
    words += [sites[d]["features"].get("title") or "" for d in cluster["domains"] if d in sites]
    return " ".join(words).lower()


def render_html(report: dict) -> str:
    """Render a ``facade.report/1`` dict as a standalone HTML page."""
    sites = {s["domain"]: s for s in report["sites"]}
    linked = [c for c in report["clusters"] if c["size"] > 1]
    alone = [sites[c["domains"][0]] for c in report["clusters"] if c["size"] == 1]
    failed = [s for s in report["sites"] if s["status"] != "ok"]
    kinds = sorted({e["kind"] for c in linked for e in c["evidence"]})
    return _ENV.get_template("report.html.j2").render(
        report=report, run=report["run"], sites=sites, linked=linked, alone=alone,
        failed=failed, commons=report.get("commons", []), split_evidence=split_evidence,
        clusters_by_id={c["id"]: c for c in report["clusters"]}, kinds=kinds,
        duration=_duration(report["run"]), script=Markup(FILTER_JS), script_hash=SCRIPT_HASH,
        svg={c["id"]: Markup(cluster_svg(c)) for c in linked},
        legend=Markup(legend(sorted({edge_kind(link) for c in linked
                                     for link in c.get("links", [])}))),
        search={c["id"]: _search_text(c, sites) for c in linked},
        captured={d for d, s in sites.items() if s.get("captured_at")},
    )
