"""Reports of a stored run: assemble the JSON report and write files in each format."""

from __future__ import annotations

import json
from pathlib import Path

from analysis.report_html import render_html
from analysis.report_json import build_report
from crawler.analyse import cluster_run
from crawler.store import Store

FORMATS = ("json", "html")
EXTENSIONS = {"json": "json", "html": "html"}


def report_dict(store: Store, run_id: int) -> dict:
    """The ``facade.report/1`` dict of a run, clustering it first if that was never done."""
    if store.run_info(run_id)["state"] != "clustered":
        cluster_run(store, run_id)
    commons = [e for e in store.links(run_id) if e["weight"] == 0]
    for e in commons:
        e["common"] = e["reason"].split("ignored: ", 1)[-1] if e.get("reason") else None
    return build_report(
        store.run_info(run_id), store.sites(run_id), store.features(run_id),
        store.clusters(run_id), store.page_count(run_id), commons,
    )


def write_report(report: dict, fmt: str, path: str | Path) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "json":
        path.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    elif fmt == "html":
        path.write_text(render_html(report), encoding="utf-8")
    else:
        raise ValueError(f"unknown report format {fmt!r}")
    return path
