"""`facade run SEEDS`: crawl, cluster and every report format."""

from __future__ import annotations

from pathlib import Path

from analysis.config import load_config
from crawler.commands.cluster import cmd_cluster
from crawler.commands.common import warn
from crawler.commands.crawl import cmd_crawl
from crawler.store import Store


def cmd_run(args, db: str) -> Path:
    from crawler.reporting import report_dict, write_all

    run_id = cmd_crawl(args, db)
    cmd_cluster(args, db, run=run_id)
    store = Store(db)
    folder = Path(args.output or f"output/run-{run_id}")
    warnings: list[str] = []
    write_all(report_dict(store, run_id, load_config(args.evidence_config)), folder, warnings,
              written=lambda fmt, path: print(f"{fmt:8s} {path}", flush=True))
    warn(warnings)
    return folder
