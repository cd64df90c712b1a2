"""Reports of a stored run: assemble the JSON report and write it in every format."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from analysis.reports.exports import EXPORTERS
from analysis.reports.report_json import build_report
from crawler.runs.analyse import derive
from crawler.store import Store

# Format -> the file (or, for csv, folder) `facade run` writes it to inside the run's folder.
FILES = {fmt: exporter.target for fmt, exporter in EXPORTERS.items()}


def report_dict(store: Store, run_id: int, config: dict, with_diff: bool = True) -> dict:
    """The ``facade.report/1`` dict of a run, with what changed since the previous run and
    when each site was first and last seen. Reading never writes: a run never clustered
    (still crawling, killed, or imported) is derived for the report and nothing is stored."""
    info = store.run_info(run_id)
    if info["state"] != "clustered":  # crawling, killed, or never clustered: derive, store nothing
        derived = derive(store, run_id, config)
        features, links = derived.features, derived.links
        clusters = [{**{k: v for k, v in c.items() if k != "provenance"}, **c["provenance"]}
                    for c in derived.clusters]  # as the store gives them back
        clusters = sorted(clusters, key=lambda c: (-len(c["domains"]), c["id"]))
    else:
        features, clusters, links = (store.features(run_id), store.clusters(run_id),
                                     store.links(run_id))
    commons = [e for e in links if e["weight"] == 0]
    report = build_report(store.run_info(run_id), store.sites(run_id), features, clusters,
                          store.page_count(run_id), commons)
    if info["state"] == "crawling":
        pending = sum(1 for s in store.sites(run_id) if s["status"] == "pending")
        report["run"]["partial"] = True
        report["run"]["note"] = (f"partial: the crawl of this run has not finished ({pending}"
                                 " sites pending); clusters may still grow")
    seen = store.first_last_seen(run_id)
    for site in report["sites"]:
        site["first_seen"], site["last_seen"] = seen.get(site["domain"], (None, None))
    previous = store.previous_clustered_run(run_id)
    if with_diff and previous:
        report["diff"] = run_diff(store, previous, run_id, config, after=report)
    return report


def run_diff(store: Store, from_run: int, to_run: int, config: dict,
             after: dict | None = None) -> dict:
    """What changed from one stored run to another (derived, where never clustered);
    ``after``: the later run's report when the caller has it (not built twice)."""
    from analysis.reports.diff import diff_reports
    from analysis.text.minhash import stored_jaccard

    before = report_dict(store, from_run, config, with_diff=False)
    after = after if after is not None else report_dict(store, to_run, config, with_diff=False)
    old, new = store.texts(from_run), store.texts(to_run)
    similarity = {d: stored_jaccard(old[d], new[d]) for d in old.keys() & new}
    events = store.events(to_run) if store.previous_clustered_run(to_run) == from_run else []
    return diff_reports(before, after, similarity, events)


def write_report(report: dict, fmt: str, path: str | Path,
                 warnings: list[str] | None = None) -> Path:
    """Write one format (analysis/reports/exports.py); csv writes its files into folder ``path``.
    Values a format cannot hold are left out or kept as text, with a line in ``warnings``."""
    path = Path(path)
    warnings = [] if warnings is None else warnings
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise ValueError(f"unknown report format {fmt!r}")
    files = exporter.files(report, warnings)
    if exporter.folder:
        path.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (path / name).write_text(text, encoding="utf-8")
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(files[exporter.target], encoding="utf-8")
    return path


def write_all(report: dict, folder: str | Path, warnings: list[str] | None = None,
              written: Callable[[str, Path], None] | None = None) -> dict[str, Path]:
    """Every format into one folder (the run's); ``written(format, path)`` as each is."""
    folder = Path(folder)
    paths = {}
    for fmt, name in FILES.items():
        paths[fmt] = write_report(report, fmt, folder / name, warnings)
        if written is not None:
            written(fmt, paths[fmt])
    return paths
