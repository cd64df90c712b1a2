"""CSV tables of a report: sites.csv, links.csv (one row per evidence link), clusters.csv.

Example:
    >>> tables = csv_tables({"sites": [], "clusters": []})
    >>> sorted(tables)
    ['clusters.csv', 'links.csv', 'sites.csv']
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from analysis.feature_table import csv_columns

SITE_COLUMNS = ["domain", "status", "message", "cluster", *csv_columns()]
LINK_COLUMNS = ["cluster", "kind", "strength", "value", "weight", "domains", "reason",
                "source"]
CLUSTER_COLUMNS = ["cluster", "size", "domains", "kinds", "copied_from", "likely_original"]


# A cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection);
# full-width forms too, which some spreadsheets fold to ASCII.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _cell(value) -> str:
    """One cell: lists joined with ';', lone surrogates replaced, formulas neutralised by a
    leading apostrophe (the value is still readable; the spreadsheet shows it as text)."""
    if value is None:
        return ""
    text = ";".join(str(v) for v in value) if isinstance(value, list) else str(value)
    text = text.encode("utf-8", "replace").decode("utf-8")
    if not isinstance(value, int | float) and text.startswith(FORMULA_START):
        text = "'" + text
    return text


def _writer(out: TextIO, columns: list[str]):
    # \r\n as the line end makes the writer quote every cell holding \r or \n, so a bare
    # carriage return in a crawled value cannot start a row of its own.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    return writer


def _site_rows(report: dict) -> Iterator[list]:
    for s in report["sites"]:
        f = s.get("features", {})
        yield [s["domain"], s["status"], s.get("message"), s.get("cluster"),
               *[f.get(c) for c in SITE_COLUMNS[4:]]]


def _link_rows(report: dict) -> Iterator[list]:
    for c in report["clusters"]:
        for e in c["evidence"]:
            yield [c["id"], e["kind"], e.get("strength"), e["value"], e["weight"],
                   e["domains"], e.get("reason"), e.get("source", "live")]


def _cluster_rows(report: dict) -> Iterator[list]:
    for c in report["clusters"]:
        yield [c["id"], c["size"], c["domains"], sorted({e["kind"] for e in c["evidence"]}),
               [p["reference"] for p in c.get("copied_from", [])],
               (c.get("likely_original") or {}).get("domain")]


TABLES = {"sites.csv": (SITE_COLUMNS, _site_rows), "links.csv": (LINK_COLUMNS, _link_rows),
          "clusters.csv": (CLUSTER_COLUMNS, _cluster_rows)}


def write_table(out: TextIO, name: str, report: dict) -> None:
    """One table into ``out``, a row at a time (the report's lists are iterated once)."""
    columns, rows = TABLES[name]
    writer = _writer(out, columns)
    for row in rows(report):
        writer.writerow([_cell(v) for v in row])


def csv_tables(report: dict) -> dict[str, str]:
    """File name -> CSV text. Lists are joined with ';'."""
    out = {}
    for name in TABLES:
        text = io.StringIO()
        write_table(text, name, report)
        out[name] = text.getvalue()
    return out


def write_csv(report: dict, warnings: list[str], folder: Path) -> None:
    """The exporter (analysis/reports/exports.py): sites.csv, links.csv, clusters.csv."""
    for name in TABLES:
        with open(folder / name, "w", encoding="utf-8", newline="") as out:
            write_table(out, name, report)
