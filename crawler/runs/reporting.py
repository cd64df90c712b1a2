"""Reports of a stored run: assemble the JSON report and write it in every format."""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain, islice
from pathlib import Path

from analysis.evidence.kinds import served_kinds
from analysis.reports.exports import EXPORTERS
from analysis.reports.report_json import (
    SCHEMA_ID,
    build_report,
    cluster_entry,
    reference_entry,
    run_entry,
    site_entry,
)
from analysis.reports.streamed import Streamed
from crawler.runs.analyse import derive
from crawler.store import Store

# Format -> the file (or, for csv, folder) `facade run` writes it to inside the run's folder.
FILES = {fmt: exporter.target for fmt, exporter in EXPORTERS.items()}


def report_dict(store: Store, run_id: int, config: dict, with_diff: bool = True) -> dict:
    """The ``facade.report/1`` dict of a run, with what changed since the previous run and
    when each site was first and last seen. Reading never writes: a run never clustered
    (still crawling, killed, or imported) is derived for the report and nothing is stored.
    A clustered run's ``sites`` and ``clusters`` are streamed from the store
    (analysis/reports/streamed.py): every reader iterates them."""
    info = store.run_info(run_id)
    if info["state"] == "clustered":
        report = stored_report(store, run_id, info)
    else:  # crawling, killed, or never clustered: derive, store nothing
        derived = derive(store, run_id, config)
        clusters = [{**{k: v for k, v in c.items() if k != "provenance"}, **c["provenance"]}
                    for c in derived.clusters]  # as the store gives them back
        clusters = sorted(clusters, key=lambda c: (-len(c["domains"]), c["id"]))
        commons = [e for e in derived.links if e["weight"] == 0]
        report = build_report(info, store.sites(run_id), derived.features, clusters,
                              store.page_count(run_id), commons)
        seen = store.first_last_seen(run_id)
        for site in report["sites"]:
            site["first_seen"], site["last_seen"] = seen.get(site["domain"], (None, None))
    if info["state"] == "crawling":
        pending = sum(1 for s in store.sites(run_id) if s["status"] == "pending")
        report["run"]["partial"] = True
        report["run"]["note"] = (f"partial: the crawl of this run has not finished ({pending}"
                                 " sites pending); clusters may still grow")
    previous = store.previous_clustered_run(run_id)
    if with_diff and previous:
        report["diff"] = run_diff(store, previous, run_id, config, after=report)
    return report


def stored_report(store: Store, run_id: int, info: dict) -> dict:
    """The report of a clustered run, its sites and clusters read from the store a batch at
    a time each time they are iterated; what is held is the linked clusters and, per site
    standing alone, its cluster id."""
    linked = store.linked_clusters(run_id)
    cluster_of = store.lone_cluster_ids(run_id)
    lone = len(cluster_of)
    cluster_of.update((d, c["id"]) for c in linked for d in c["domains"])
    captured, served = store.captured_at(run_id), served_kinds()

    def sites():
        for batch in store.site_batches(run_id):
            for site, features in batch:
                yield site_entry(site, features, cluster_of.get(site["domain"]))

    def clusters():
        for c in chain(linked, store.lone_clusters(run_id)):
            yield cluster_entry(c, captured, served)

    threshold = next((c["threshold"] for c in chain(linked, islice(
        store.lone_clusters(run_id, size=1), 1)) if c.get("threshold")), None)
    seeds, ok = store.site_tally(run_id)
    references = [reference_entry(site, features) for batch in
                  store.site_batches(run_id, references=True) for site, features in batch]
    return {
        "schema": SCHEMA_ID,
        "run": run_entry(info, seeds, ok, store.page_count(run_id), threshold),
        "sites": Streamed(sites, seeds),
        "clusters": Streamed(clusters, len(linked) + lone),
        "references": references,
        # A common value may be shared by half a million sites: read when written.
        "commons": Streamed(lambda: store.common_links(run_id), store.common_count(run_id)),
    }


def run_diff(store: Store, from_run: int, to_run: int, config: dict,
             after: dict | None = None) -> dict:
    """What changed from one stored run to another (derived, where never clustered);
    ``after``: the later run's report when the caller has it (not built twice)."""
    from analysis.reports.diff import diff_reports
    from analysis.text.minhash import stored_jaccard

    before = report_dict(store, from_run, config, with_diff=False)
    after = after if after is not None else report_dict(store, to_run, config, with_diff=False)
    similarity = {d: stored_jaccard(a, b) for d, a, b in store.text_pairs(from_run, to_run)}
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
    if exporter.folder:
        path.mkdir(parents=True, exist_ok=True)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    exporter.write(report, warnings, path)
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
