"""`facade lab serve` and `facade demo`: the lab world, alone or with a run on it."""

from __future__ import annotations

import time
from pathlib import Path


def cmd_lab_serve(args) -> None:
    from crawler.lab.server import LabServer

    with LabServer(seed=args.seed, sites=args.sites, folder=args.output,
                   faults=args.faults, week=args.week) as lab:
        print(f"proxy       {lab.proxy_url}")
        print(f"nameserver  {lab.nameserver}")
        print(f"whois       {lab.whois_server}")
        print(f"seeds       {lab.seeds_file}")
        print(f"truth       {lab.truth_file}")
        print(f"references  {lab.references_file}")
        print("crawl it:   facade run " + " ".join([str(lab.seeds_file), *lab.crawl_args(),
                                                    "--reference", str(lab.references_file)]))
        print("serving until interrupted (Ctrl-C)", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


def cmd_demo(args, db: str | None) -> None:
    from crawler.lab.server import LabServer

    out = Path(args.output)
    from crawler.cli import build_parser  # the lab's options are read as a user's are
    from crawler.commands.options import crawl_options
    from crawler.commands.run import run_pipeline

    db = db or str(out / "facade.db")
    with LabServer(seed=args.seed, sites=args.sites, folder=out / "lab") as lab:
        parser = build_parser()
        run_args = parser.parse_args(["run", str(lab.seeds_file), *lab.crawl_args(),
                                      "--reference", str(lab.references_file),
                                      "--timeout", "10", "--label", f"lab world {args.seed}",
                                      "-o", str(out), *(["--quiet"] if args.quiet else [])])
        folder = run_pipeline(run_args.seeds, db, crawl_options(run_args), run_args.output,
                              quiet=args.quiet)
    print(f"\nOpen the report: {folder / 'report.html'}")
