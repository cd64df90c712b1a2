"""`facade worker --frontier URL --db DB`: crawl sites of a shared frontier's run until it is
drained; start as many as you like, on as many machines."""

from __future__ import annotations

from crawler.frontier.work import serve


def cmd_worker(args, db: str) -> None:
    done = serve(args.frontier, db, quiet=args.quiet, wait=args.wait)
    print(f"worker {done.name}: run {done.run_id}, {done.crawled} sites crawled in"
          f" {done.seconds:.1f}s; the frontier is drained")
