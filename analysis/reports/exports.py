"""Every report format in one registry, as Scrapy's ``FEED_EXPORTERS``: format -> where it
goes and the function that writes a report there. The CLI's choices, `facade run`'s outputs
and `facade report` all read it; adding a format is one entry and its module.

Each writer takes the report dict, a list to append warnings to (values a format cannot
hold) and the path to write: a file, or for a folder exporter (csv) an existing folder.
Writers read the report's ``sites`` and ``clusters`` by iterating them, a site at a time,
so that a streamed report (analysis/reports/streamed.py) is never held whole.

Example:
    >>> sorted(EXPORTERS)
    ['csv', 'gexf', 'graphml', 'html', 'json', 'misp', 'stix']
    >>> EXPORTERS["stix"].target
    'report.stix.json'
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from analysis.reports.streamed import write_json


@dataclass(frozen=True)
class Exporter:
    format: str
    target: str  # the file, or for a folder exporter the folder, inside a run's folder
    function: str  # "module:function", imported when used (pymisp and stix are heavy)
    folder: bool = False
    reads_diff: bool = False  # shows what changed since the previous run (report["diff"])

    def write(self, report: dict, warnings: list[str], path: Path) -> None:
        """Write the format at ``path`` (a folder exporter: into the folder ``path``)."""
        module, name = self.function.split(":")
        made: Callable = getattr(import_module(module), name)
        made(report, warnings, path)


def write_report_json(report: dict, warnings: list[str], path: Path) -> None:
    with open(path, "w", encoding="utf-8") as out:
        write_json(report, out)


EXPORTERS: dict[str, Exporter] = {e.format: e for e in (
    Exporter("json", "report.json", "analysis.reports.exports:write_report_json",
             reads_diff=True),
    Exporter("html", "report.html", "analysis.reports.report_html:write_html", reads_diff=True),
    Exporter("csv", "csv", "analysis.reports.export_csv:write_csv", folder=True),
    Exporter("stix", "report.stix.json", "analysis.reports.export_stix:write_stix"),
    Exporter("misp", "report.misp.json", "analysis.reports.export_misp:write_misp"),
    Exporter("graphml", "evidence.graphml", "analysis.reports.export_graph:write_graphml"),
    Exporter("gexf", "evidence.gexf", "analysis.reports.export_graph:write_gexf"),
)}
