"""`facade diff`: what changed between two runs."""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.config import load_config
from crawler.commands.common import UserError
from crawler.runs.terminal import safe_text
from crawler.store import Store


def cmd_diff(args, db: str) -> None:
    import json

    from analysis.reports.diff import diff_text
    from crawler.runs.reporting import run_diff

    store = Store(db, create=False)
    to_run = store.resolve_run(args.to_run)
    if args.to_run is None and store.latest_answered_run() not in (None, to_run):
        skipped, to_run = to_run, store.latest_answered_run()
        print(f"note: run {skipped} has no site that answered; comparing run {to_run}"
              f" (--to {skipped} compares it anyway)", file=sys.stderr)
    if args.from_run is None:
        from_run = store.previous_run(to_run)
        if from_run is None:
            raise UserError(f"run {to_run} has no earlier run in which a site answered:"
                            " nothing to compare it with")
    else:
        from_run = store.resolve_run(args.from_run)
    diff = run_diff(store, from_run, to_run, load_config(args.evidence_config))
    text = json.dumps(diff, indent=1) if args.format == "json" else safe_text(diff_text(diff))
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        print(f"diff of runs {from_run} -> {to_run} -> {args.output}")
    else:
        print(text)
