"""CSV tables of a report: sites.csv, links.csv (one row per evidence link), clusters.csv.

Example:
    >>> tables = csv_tables({"sites": [], "clusters": []})
    >>> sorted(tables)
    ['clusters.csv', 'links.csv', 'sites.csv']
"""

from __future__ import annotations

import csv
import io

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


def _table(columns: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    # \r\n as the line end makes the writer quote every cell holding \r or \n, so a bare
    # carriage return in a crawled value cannot start a row of its own.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([[_cell(v) for v in row] for row in rows])
    return out.getvalue()


def csv_tables(report: dict) -> dict[str, str]:
    """File name -> CSV text. Lists are joined with ';'."""
    sites = []
    for s in report["sites"]:
        f = s.get("features", {})
        sites.append([s["domain"], s["status"], s.get("message"), s.get("cluster"),
                      *[f.get(c) for c in SITE_COLUMNS[4:]]])
    links = [[c["id"], e["kind"], e.get("strength"), e["value"], e["weight"], e["domains"],
              e.get("reason"), e.get("source", "live")]
             for c in report["clusters"] for e in c["evidence"]]
    clusters = [[c["id"], c["size"], c["domains"],
                 sorted({e["kind"] for e in c["evidence"]}),
                 [p["reference"] for p in c.get("copied_from", [])],
                 (c.get("likely_original") or {}).get("domain")] for c in report["clusters"]]
    return {"sites.csv": _table(SITE_COLUMNS, sites), "links.csv": _table(LINK_COLUMNS, links),
            "clusters.csv": _table(CLUSTER_COLUMNS, clusters)}


def csv_files(report: dict, warnings: list[str]) -> dict[str, str]:
    """The exporter (analysis/reports/exports.py): sites.csv, links.csv, clusters.csv."""
    return csv_tables(report)
