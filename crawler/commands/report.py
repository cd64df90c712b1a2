"""`facade report`: one report of a run, in one format."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from analysis.config import load_config
from crawler.commands.common import warn
from crawler.store import Store


def _report_path(output: str | None, fmt: str, run_id: int, name: str) -> Path:
    """Where `report` writes: ``-o`` names a folder (as in `run`: an existing folder, or a
    path ending in /; csv always) that gets the format's usual file name, or else a file;
    by default the run's folder, output/run-ID/."""
    if output is None:
        return Path(f"output/run-{run_id}") / name
    path = Path(output)
    if fmt != "csv" and (path.is_dir() or output.endswith(("/", os.sep))):
        return path / name
    return path


def cmd_report(args, db: str) -> None:
    from crawler.runs.reporting import FILES, report_dict, write_report

    store = Store(db, create=False)
    run_id = store.resolve_run(args.run)
    output = _report_path(args.output, args.format, run_id, FILES[args.format])
    warnings: list[str] = []
    from analysis.reports.exports import EXPORTERS

    # What changed since the previous run reads both runs whole: only for formats showing it.
    report = report_dict(store, run_id, load_config(args.evidence_config),
                         with_diff=EXPORTERS[args.format].reads_diff)
    path = write_report(report, args.format, output, warnings)
    warn(warnings)
    if report["run"].get("partial"):
        print(f"note: {report['run']['note']}", file=sys.stderr)
    print(f"run {run_id}: {args.format} report -> {path}")
