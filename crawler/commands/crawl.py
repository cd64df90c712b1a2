"""`facade crawl SEEDS`: crawl and enrich every seed into a new run (or finish one)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from crawler.commands.common import BusyError, UserError, progress, warn
from crawler.commands.options import crawl_options
from crawler.crawl.preflight import PreflightError, check_servers
from crawler.crawl.seeds import read_seeds
from crawler.store.lock import Busy
from crawler.store.locking import run_lock
from crawler.store.postgres import shown


def cmd_crawl(args, db: str) -> int:
    return crawl_seeds(args.seeds, db, crawl_options(args), resume=args.resume,
                       quiet=args.quiet, skip_if_busy=getattr(args, "skip_if_busy", False))


def crawl_seeds(seeds: str, db: str, opts, resume: str = "auto", quiet: bool = False,
                skip_if_busy: bool = False) -> int:
    """Crawl ``seeds`` into a new run of ``db`` (or finish one) and say how it went; the
    run's id. ``opts`` is a CrawlOptions."""
    from crawler.crawl.driver import ResumeError, crawl
    from crawler.frontier.work import coordinate

    for path in (seeds, opts.references):
        if path and not Path(path).is_file():
            raise UserError(f"seed file not found: {path}")
        if path:
            read_seeds(path)  # a file with no usable line is refused before anything is made
    try:
        check_servers(opts.proxy, opts.nameservers, opts.whois_server, opts.rdap_url,
                      opts.timeout)
    except PreflightError as exc:
        raise UserError(str(exc)) from None
    started = time.monotonic()
    how = coordinate if opts.frontier else crawl  # workers crawl, or this process
    try:
        with run_lock(db, wait=not skip_if_busy, notice=lambda m: print(m, file=sys.stderr)), \
                progress(quiet, "crawling") as factory:
            summary = how(seeds, db, opts, progress_factory=factory, resume=resume)
    except Busy as exc:  # only the lock says so: another crawl holds the database
        raise BusyError(str(exc)) from None
    except ResumeError as exc:
        raise UserError(str(exc)) from None
    warn(summary.warnings)
    if summary.warc:
        print(f"warc  {summary.warc}")
    if opts.expand_dry_run:
        print(f"{len(summary.candidates)} candidates (not crawled; --expand N crawls them):")
    elif summary.candidates:
        print(f"expansion added {len(summary.candidates)} sites:")
    for c in summary.candidates:
        print(f"  {c.domain:40s} round {c.round}  {c.pivot:22s} via {c.via}: {c.value[:80]}")
    if summary.resumed:
        print(f"resumed interrupted run {summary.run_id}: crawled the {summary.crawled_now}"
              " sites it had not finished")
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(summary.statuses.items()))
    refs = f" + {summary.references} references" if summary.references else ""
    print(f"run {summary.run_id}: {summary.seeds} sites ({statuses}){refs}, {summary.pages}"
          f" pages in {time.monotonic() - started:.1f}s -> {shown(db)}")
    if summary.seeds and not summary.statuses.get("ok"):
        print(f"warning: no site answered in run {summary.run_id}: it is kept, but the next"
              " run takes its cluster ids and its diff from the last run in which sites"
              " answered", file=sys.stderr)
    return summary.run_id
