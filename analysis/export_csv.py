"""CSV tables of a report: sites.csv, links.csv (one row per evidence link), clusters.csv.

Example:
    >>> tables = csv_tables({"sites": [], "clusters": []})
    >>> sorted(tables)
    ['clusters.csv', 'links.csv', 'sites.csv']
"""

from __future__ import annotations

import csv
import io

SITE_COLUMNS = ["domain", "status", "message", "cluster", "title", "language", "registrar",
                "creation_date", "registrant_name", "registrant_org", "registrant_email",
                "ips", "asn", "hosting_org", "nameservers", "analytics_ids", "emails",
                "phones", "cert_sha256", "favicon_mmh3", "redirects_to"]
LINK_COLUMNS = ["cluster", "kind", "strength", "value", "weight", "domains", "reason"]
CLUSTER_COLUMNS = ["cluster", "size", "domains", "kinds", "copied_from", "likely_original"]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    return str(value)


def _table(columns: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
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
              e.get("reason")] for c in report["clusters"] for e in c["evidence"]]
    clusters = [[c["id"], c["size"], c["domains"],
                 sorted({e["kind"] for e in c["evidence"]}),
                 [p["reference"] for p in c.get("copied_from", [])],
                 (c.get("likely_original") or {}).get("domain")] for c in report["clusters"]]
    return {"sites.csv": _table(SITE_COLUMNS, sites), "links.csv": _table(LINK_COLUMNS, links),
            "clusters.csv": _table(CLUSTER_COLUMNS, clusters)}
