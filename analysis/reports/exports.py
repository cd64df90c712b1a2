"""Every report format in one registry, as Scrapy's ``FEED_EXPORTERS``: format -> where it
goes and the function that turns a report into files. The CLI's choices, `facade run`'s
outputs and `facade report` all read it; adding a format is one entry and its module.

Each exporter takes the report dict and a list to append warnings to (values a format
cannot hold), and returns {file name: text}; a folder exporter (csv) returns several.

Example:
    >>> sorted(EXPORTERS)
    ['csv', 'gexf', 'graphml', 'html', 'json', 'misp', 'stix']
    >>> EXPORTERS["stix"].target
    'report.stix.json'
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class Exporter:
    format: str
    target: str  # the file, or for a folder exporter the folder, inside a run's folder
    function: str  # "module:function", imported when used (pymisp and stix are heavy)
    folder: bool = False

    def files(self, report: dict, warnings: list[str]) -> dict[str, str]:
        """{file name: text}: one file named ``target``, or the folder's files."""
        module, name = self.function.split(":")
        made: Callable = getattr(import_module(module), name)
        out = made(report, warnings)
        return out if self.folder else {self.target: out}


def json_text(report: dict, warnings: list[str]) -> str:
    return json.dumps(report, indent=1, ensure_ascii=False)


EXPORTERS: dict[str, Exporter] = {e.format: e for e in (
    Exporter("json", "report.json", "analysis.reports.exports:json_text"),
    Exporter("html", "report.html", "analysis.reports.report_html:html_text"),
    Exporter("csv", "csv", "analysis.reports.export_csv:csv_files", folder=True),
    Exporter("stix", "report.stix.json", "analysis.reports.export_stix:stix_text"),
    Exporter("misp", "report.misp.json", "analysis.reports.export_misp:misp_text"),
    Exporter("graphml", "evidence.graphml", "analysis.reports.export_graph:graphml_text"),
    Exporter("gexf", "evidence.gexf", "analysis.reports.export_graph:gexf_text"),
)}
