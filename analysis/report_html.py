"""The HTML report: one self-contained file, every crawled string escaped.

Jinja2 autoescaping escapes every value; a Content-Security-Policy that allows no script at
all is the second guard, so nothing from a crawled page can run in the analyst's browser.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

_ENV = Environment(
    loader=PackageLoader("analysis", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


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


def render_html(report: dict) -> str:
    """Render a ``facade.report/1`` dict as a standalone HTML page."""
    sites = {s["domain"]: s for s in report["sites"]}
    linked = [c for c in report["clusters"] if c["size"] > 1]
    alone = [sites[c["domains"][0]] for c in report["clusters"] if c["size"] == 1]
    failed = [s for s in report["sites"] if s["status"] != "ok"]
    return _ENV.get_template("report.html.j2").render(
        report=report, run=report["run"], sites=sites, linked=linked, alone=alone,
        failed=failed, commons=report.get("commons", []), split_evidence=split_evidence,
        clusters_by_id={c["id"]: c for c in report["clusters"]},
    )
