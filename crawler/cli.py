"""The `facade` command line: its parser and dispatch; each command is a module of
crawler/commands/."""

from __future__ import annotations

import argparse
import sqlite3
import sys

from analysis.config import ConfigError
from analysis.reports.exports import EXPORTERS
from crawler.commands.cluster import cmd_cluster
from crawler.commands.common import BUSY_EXIT, DEFAULT_DB, BusyError, UserError
from crawler.commands.crawl import cmd_crawl
from crawler.commands.db import cmd_db
from crawler.commands.diff import cmd_diff
from crawler.commands.history import cmd_history
from crawler.commands.imports import cmd_import
from crawler.commands.lab import cmd_demo, cmd_lab_serve
from crawler.commands.options import EVIDENCE_CONFIG_HELP, add_crawl_options
from crawler.commands.report import cmd_report
from crawler.commands.run import cmd_run
from crawler.commands.watch import cmd_watch, parse_interval
from crawler.commands.worker import cmd_worker
from crawler.crawl.seeds import SeedError
from crawler.crawl.signals import Interrupted
from crawler.enrich.worker import EnrichmentLost
from crawler.frontier.queue import FrontierError
from crawler.runs import extract
from crawler.runs.terminal import safe_text
from crawler.store import StoreError
from crawler.store.postgres import is_postgres, shown

__all__ = ["UserError", "build_parser", "main", "parse_interval"]


def build_parser() -> argparse.ArgumentParser:
    # Global options work before and after the command: the command's copies default to
    # "not given" (SUPPRESS), so they never overwrite a value given before the command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help=f"database file, or a postgresql:// URL (default {DEFAULT_DB})")
    common.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no progress bar")
    parser = argparse.ArgumentParser(
        prog="facade",
        description="Crawl suspected front-company sites and cluster the ones run together.",
    )
    parser.add_argument("--db", default=None,
                        help=f"database file, or a postgresql:// URL (default {DEFAULT_DB})")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("crawl", parents=[common], help="crawl and enrich every seed")
    p.add_argument("seeds")
    add_crawl_options(p)

    p = sub.add_parser("cluster", parents=[common], help="fingerprint and cluster a run")
    p.add_argument("--run")
    p.add_argument("--evidence-config", help=EVIDENCE_CONFIG_HELP)
    p.add_argument("--engine", choices=["default", "spark"], default="default",
                   help="spark: the corpus-wide stages on Apache Spark (local mode on this"
                        " machine unless --spark-master); the same clusters")
    p.add_argument("--spark-master", metavar="URL",
                   help="the Spark cluster to run on (spark://HOST:7077, yarn, local[N])")
    p.add_argument("--parquet", metavar="DIR",
                   help="with --engine spark: write the run's Parquet export Spark reads here"
                        " (kept) instead of a temporary folder")

    p = sub.add_parser("report", parents=[common], help="write a report of a run")
    p.add_argument("--run")
    p.add_argument("--format", required=True,
                   choices=list(EXPORTERS),
                   help="csv writes sites.csv, links.csv and clusters.csv into the -o folder")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="a folder (existing, or ending in /), which gets report.html,"
                        " report.json, ... as `run` writes them; or a file name"
                        " (default: output/run-ID/)")


    p.add_argument("--evidence-config", help=EVIDENCE_CONFIG_HELP)

    p = sub.add_parser("run", parents=[common], help="crawl, cluster and write every report")
    p.add_argument("seeds")
    add_crawl_options(p)
    p.add_argument("-o", "--output", help="folder for the reports (default output/run-ID)")
    p.add_argument("--skip-if-busy", action="store_true",
                   help="if another crawl of the database is running, give up at once instead"
                        " of waiting (for cron and timers)")

    p = sub.add_parser("watch", parents=[common],
                       help="crawl, cluster, report and diff on a schedule")
    p.add_argument("seeds")
    add_crawl_options(p)
    p.add_argument("--every", required=True, metavar="INTERVAL",
                   help="time between runs: 7d, 12h, 30m or 90s")
    p.add_argument("--runs", type=int, default=0, help="stop after this many runs (0: never)")
    p.add_argument("-o", "--output", help="folder for the runs' reports (default output/)")

    p = sub.add_parser("history", parents=[common],
                       help="a site across runs: when it was seen, and every value it had")
    p.add_argument("domain")

    p = sub.add_parser("diff", parents=[common], help="what changed between two runs")
    p.add_argument("--from", dest="from_run", help="the earlier run (default: the one before"
                                                   " --to)")
    p.add_argument("--to", dest="to_run", help="the later run (default: the latest)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("-o", "--output", help="write the diff here instead of printing it")
    p.add_argument("--evidence-config", help=EVIDENCE_CONFIG_HELP)

    p = sub.add_parser("worker", parents=[common],
                       help="crawl sites from a shared frontier until its run is crawled")
    p.add_argument("--frontier", required=True, metavar="redis://HOST:PORT/DB",
                   help="the frontier `facade crawl SEEDS --frontier URL` queued the run in")
    p.add_argument("--wait", type=float, default=0, metavar="SECONDS",
                   help="give up if no run is queued within this time (default: wait)")

    p = sub.add_parser("db", parents=[common], help="the database itself")
    dbs = p.add_subparsers(dest="db_command", required=True, metavar="SUBCOMMAND")
    dbs.add_parser("migrate", parents=[common],
                   help="create the tables, or add what an older database lacks")

    p = sub.add_parser("lab", parents=[common], help="the lab world")
    lab = p.add_subparsers(dest="lab_command", required=True, metavar="SUBCOMMAND")
    s = lab.add_parser("serve", parents=[common], help="serve the lab world until interrupted")
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--sites", type=int, default=140)
    s.add_argument("-o", "--output", help="folder for seeds, ground truth and certificates")
    s.add_argument("--week", type=int, choices=[1, 2], default=1,
                   help="week 2 of the same world: new fronts, moved hosting, a site taken"
                        " down, a changed tracker")
    s.add_argument("--faults", action="store_true",
                   help="add the fault sites (tarpit, redirect loop, gzip bomb, ...)")

    p = sub.add_parser("demo", parents=[common], help="lab serve + run on it")
    p.add_argument("-o", "--output", default="output/demo")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--sites", type=int, default=140)

    p = sub.add_parser("import", parents=[common],
                       help="store sites from a WARC file or JSON Lines as a new run")
    p.add_argument("file", help="a .warc/.warc.gz file, or JSON Lines (see the README)")
    p.add_argument("--label")

    p = sub.add_parser("extract", parents=[common],
                       help="print what facade reads from HTML files, a WHOIS or an RDAP answer")
    p.add_argument("files", nargs="*", metavar="FILE.html")
    p.add_argument("--url", help="the address the pages were fetched from")
    p.add_argument("--format", choices=["jsonl", "text"], default="jsonl")
    p.add_argument("--whois", metavar="FILE", help="a raw WHOIS answer")
    p.add_argument("--domain", help="the domain of the --whois answer (else read from it)")
    p.add_argument("--rdap", metavar="FILE.json", help="an RDAP domain answer")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    db = args.db or DEFAULT_DB
    commands = {
        "crawl": cmd_crawl, "cluster": cmd_cluster, "report": cmd_report, "run": cmd_run,
        "watch": cmd_watch, "history": cmd_history, "import": cmd_import, "diff": cmd_diff,
        "lab": lambda a, _db: cmd_lab_serve(a), "demo": lambda a, _db: cmd_demo(a, a.db),
        "extract": lambda a, _db: extract.run(a), "db": cmd_db,
        "worker": cmd_worker,
    }
    try:
        commands[args.command](args, db)
    except BusyError as exc:
        print(f"facade: busy: {safe_text(' '.join(str(exc).split()))}", file=sys.stderr)
        return BUSY_EXIT
    except (UserError, StoreError, ConfigError, SeedError, extract.ExtractError,
            FrontierError) as exc:
        print(f"facade: error: {safe_text(' '.join(str(exc).split()))}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as exc:  # a damaged (bit-flipped, truncated) database
        print(f"facade: error: {db}: the database is damaged ({exc})", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `facade ... | head`: the reader is gone, nothing more to say
        sys.stderr.close()
        return 0
    except (FileExistsError, NotADirectoryError) as exc:  # -o at or under a file
        print(f"facade: error: {exc.filename or 'output'} is a file where a folder is needed"
              " (-o names a folder, or a file inside an existing folder)", file=sys.stderr)
        return 2
    except OSError as exc:  # read-only output, a full disk, ...
        where = exc.filename or "output"
        print(f"facade: error: {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except EnrichmentLost as exc:  # its process killed (say, out of memory): the run is kept
        print(f"facade: error: {exc}", file=sys.stderr)
        return 1
    except Interrupted as exc:  # SIGINT or SIGTERM during a crawl: the run is kept
        print(f"facade: {exc}", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print("facade: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a PostgreSQL or Redis server lost, or refusing, mid-command
        server = _server_of(exc, db, getattr(args, "frontier", None))
        if server is None:
            raise
        reason = safe_text(" ".join(str(exc).split()))[:300]
        print(f"facade: error: {server}: the server failed ({reason})", file=sys.stderr)
        return 2
    return 0




def _server_of(exc: BaseException, db: str, frontier: str | None) -> str | None:
    """The server a database or frontier client's exception is about, if it is one."""
    library = type(exc).__module__.split(".")[0]
    if library == "psycopg" and is_postgres(db):
        return shown(db)
    if library == "redis" and frontier:
        return frontier
    return None


if __name__ == "__main__":
    sys.exit(main())
