"""`facade run SEEDS`: crawl, cluster and every report format."""

from __future__ import annotations

from pathlib import Path

from analysis.config import load_config
from crawler.commands.cluster import cluster_stored
from crawler.commands.common import warn
from crawler.commands.crawl import crawl_seeds
from crawler.commands.options import crawl_options
from crawler.store import Store


def cmd_run(args, db: str) -> Path:
    return run_pipeline(args.seeds, db, crawl_options(args), args.output, resume=args.resume,
                        quiet=args.quiet, skip_if_busy=args.skip_if_busy)


def run_pipeline(seeds: str, db: str, opts, output: str | None, resume: str = "auto",
                 quiet: bool = False, skip_if_busy: bool = False) -> Path:
    """Crawl, cluster and write every report format; the run's folder."""
    from crawler.runs.reporting import report_dict, write_all

    config = load_config(opts.evidence_config)  # refused before anything is crawled
    run_id = crawl_seeds(seeds, db, opts, resume=resume, quiet=quiet,
                         skip_if_busy=skip_if_busy)
    cluster_stored(db, run_id, config, quiet)
    store = Store(db)
    folder = Path(output or f"output/run-{run_id}")
    warnings: list[str] = []
    write_all(report_dict(store, run_id, config), folder, warnings,
              written=lambda fmt, path: print(f"{fmt:8s} {path}", flush=True))
    warn(warnings)
    return folder
