"""`facade cluster`: fingerprint and cluster a stored run."""

from __future__ import annotations

import time

from analysis.config import load_config
from crawler.commands.common import UserError, progress
from crawler.store import Store


def cmd_cluster(args, db: str) -> None:
    spark = None
    if args.engine == "spark":
        spark = {"master": args.spark_master, "folder": args.parquet}
    elif args.spark_master or args.parquet:
        raise UserError("--spark-master and --parquet are options of --engine spark")
    cluster_stored(db, args.run, load_config(args.evidence_config), args.quiet, spark)


def cluster_stored(db: str, run, config: dict, quiet: bool = False,
                   spark: dict | None = None):
    """Cluster run ``run`` (an id, a label, or None: the latest) of ``db`` and store it;
    ``spark``: on the Spark engine (crawler/spark/engine.py), with these arguments."""
    from crawler.runs.analyse import cluster_run

    store = Store(db, create=False)
    run_id = store.resolve_run(run)
    if store.run_info(run_id)["state"] == "crawling":
        raise UserError(f"run {run_id} is still crawling, or was interrupted: the same crawl"
                        " command (or `facade crawl SEEDS --resume`) finishes it; `facade"
                        " report` shows it as it is now")
    started = time.monotonic()
    with progress(quiet, "reading sites") as factory:
        tick = factory(store.site_count(run_id))
        result = cluster_run(store, run_id, config, progress=lambda domain: tick(domain, ""),
                             spark=spark)
    linked = [c for c in result.clusters if len(c.domains) > 1]
    stages = ", ".join(f"{stage} {seconds:.1f}" for stage, seconds in result.timings.items())
    pages = (f"; pages: {result.pages['read']:,} read, {result.pages['reused']:,} reused"
             if result.pages else "")
    print(f"run {run_id}: {len(result.clusters)} clusters, {len(linked)} linking"
          f" {sum(len(c.domains) for c in linked)} sites ({time.monotonic() - started:.1f}s:"
          f" {stages}){pages}")
    for c in linked[:10]:
        kinds = sorted({e.kind for e in c.evidence if e.strength == "strong"})
        print(f"  {c.id}  {len(c.domains):3d} sites  {', '.join(kinds)}")
    store.close()
    return result
