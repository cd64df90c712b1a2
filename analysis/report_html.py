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


def render_html(report: dict) -> str:
    """Render a ``facade.report/1`` dict as a standalone HTML page."""
    sites = {s["domain"]: s for s in report["sites"]}
    linked = [c for c in report["clusters"] if c["size"] > 1]
    alone = [sites[c["domains"][0]] for c in report["clusters"] if c["size"] == 1]
    failed = [s for s in report["sites"] if s["status"] != "ok"]
    return _ENV.get_template("report.html.j2").render(
        report=report, run=report["run"], sites=sites, linked=linked, alone=alone,
        failed=failed, commons=report.get("commons", []),
    )
