"""The `facade` command line."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sqlite3
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from analysis.config import ConfigError, load_config
from crawler import extract
from crawler.crawl import Interrupted
from crawler.enrich.netaddr import split_hostport
from crawler.preflight import PreflightError, check_servers
from crawler.runlock import Busy, RunLock
from crawler.seeds import SeedError, read_seeds
from crawler.store import Store, StoreError
from crawler.terminal import safe_text

DEFAULT_DB = "output/facade.db"


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


def _add_crawl_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("crawl options")
    g.add_argument("--proxy", help="send every web request through this HTTP proxy")
    g.add_argument("--nameserver", action="append", default=[], metavar="HOST[:PORT]",
                   help="resolve with this DNS server (repeatable)")
    g.add_argument("--whois-server", metavar="HOST[:PORT]",
                   help="send every WHOIS query to this server, following no referrals")
    g.add_argument("--rdap-url", help="base URL of an RDAP service (/domain/NAME, /ip/ADDR)")
    g.add_argument("--rdap-bootstrap", metavar="URL",
                   help="the RDAP bootstrap registry naming each TLD's service (default:"
                        " IANA's, fetched once a day; the shipped copy if it fails)")
    g.add_argument("--asn-db", metavar="FILE",
                   help="IP-to-ASN table (iptoasn TSV, optionally .gz, or MaxMind .mmdb)")
    g.add_argument("--max-pages", type=int, default=20, help="pages per site (default 20)")
    g.add_argument("--depth", type=int, default=2, help="link depth (default 2)")
    g.add_argument("--concurrency", type=int, default=16, help="requests in flight (default 16)")
    g.add_argument("--timeout", type=float, default=20.0,
                   help="seconds per request (default 20)")
    g.add_argument("--per-site", type=int, default=4,
                   help="requests in flight to one host (default 4)")
    g.add_argument("--delay", type=float, default=0.0,
                   help="seconds between requests to one host (default 0)")
    g.add_argument("--user-agent", help="the User-Agent header to send")
    g.add_argument("--whois-cache-days", type=float, default=7.0, metavar="DAYS",
                   help="reuse WHOIS/RDAP answers up to this old from earlier runs in the"
                        " database (default 7; 0 asks every time)")
    g.add_argument("--robots", choices=["obey", "ignore"], default="obey",
                   help="obey robots.txt (default) or ignore it; the report says which")
    g.add_argument("--label", help="a label for the run")
    g.add_argument("--warc", metavar="DIR",
                   help="write every response, and each site's enrichment, to a WARC file here")
    g.add_argument("--allow-private", action="store_true",
                   help="crawl sites whose addresses are private or loopback")
    g.add_argument("--expand", type=int, default=0, metavar="N",
                   help="N rounds of pivoting to new domains (certificate SANs, redirects,"
                        " links, values shared with sites already in the database)")
    g.add_argument("--expand-max", type=int, default=50, metavar="M",
                   help="add at most M sites by expansion (default 50)")
    g.add_argument("--expand-dry-run", action="store_true",
                   help="list the candidates one round would add, and crawl none of them")
    g.add_argument("--public-net", action="append", default=[], metavar="CIDR",
                   help="treat addresses in this network as public (for the lab world and"
                        " tests; repeatable)")
    resume = g.add_mutually_exclusive_group()
    resume.add_argument("--resume", action="store_const", const="yes", dest="resume",
                        default="auto",
                        help="finish the interrupted crawl in this database (by default, an"
                             " interrupted crawl of the same seeds and options from the last"
                             " 24 hours is resumed)")
    resume.add_argument("--new-run", action="store_const", const="no", dest="resume",
                        help="always start a new run")
    g.add_argument("--reference", metavar="FILE",
                   help="known legitimate sites (seed-file format): crawled, never clustered;"
                        " a cluster whose text was copied from one names it")


def build_parser() -> argparse.ArgumentParser:
    # Global options work before and after the command: the command's copies default to
    # "not given" (SUPPRESS), so they never overwrite a value given before the command.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS,
                        help=f"database file (default {DEFAULT_DB})")
    common.add_argument("--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no progress bar")
    parser = argparse.ArgumentParser(
        prog="facade",
        description="Crawl suspected front-company sites and cluster the ones run together.",
    )
    parser.add_argument("--db", default=None, help=f"database file (default {DEFAULT_DB})")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("crawl", parents=[common], help="crawl and enrich every seed")
    p.add_argument("seeds")
    _add_crawl_options(p)

    p = sub.add_parser("cluster", parents=[common], help="fingerprint and cluster a run")
    p.add_argument("--run")
    p.add_argument("--evidence-config", help="TOML file replacing the shipped evidence weights")

    p = sub.add_parser("report", parents=[common], help="write a report of a run")
    p.add_argument("--run")
    p.add_argument("--format", required=True,
                   choices=["html", "json", "csv", "stix", "misp", "graphml", "gexf"],
                   help="csv writes sites.csv, links.csv and clusters.csv into the -o folder")
    p.add_argument("-o", "--output", metavar="PATH",
                   help="a folder (existing, or ending in /), which gets report.html,"
                        " report.json, ... as `run` writes them; or a file name"
                        " (default: output/run-ID/)")

    p = sub.add_parser("run", parents=[common], help="crawl, cluster and write every report")
    p.add_argument("seeds")
    _add_crawl_options(p)
    p.add_argument("-o", "--output", help="folder for the reports (default output/run-ID)")
    p.add_argument("--evidence-config")
    p.add_argument("--skip-if-busy", action="store_true",
                   help="if another crawl of the database is running, give up at once instead"
                        " of waiting (for cron and timers)")

    p = sub.add_parser("watch", parents=[common],
                       help="crawl, cluster, report and diff on a schedule")
    p.add_argument("seeds")
    _add_crawl_options(p)
    p.add_argument("--every", required=True, metavar="INTERVAL",
                   help="time between runs: 7d, 12h, 30m or 90s")
    p.add_argument("--runs", type=int, default=0, help="stop after this many runs (0: never)")
    p.add_argument("-o", "--output", help="folder for the runs' reports (default output/)")
    p.add_argument("--evidence-config")

    p = sub.add_parser("history", parents=[common],
                       help="a site across runs: when it was seen, and every value it had")
    p.add_argument("domain")

    p = sub.add_parser("diff", parents=[common], help="what changed between two runs")
    p.add_argument("--from", dest="from_run", help="the earlier run (default: the one before"
                                                   " --to)")
    p.add_argument("--to", dest="to_run", help="the later run (default: the latest)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.add_argument("-o", "--output", help="write the diff here instead of printing it")

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


@contextmanager
def _progress(quiet: bool, what: str):
    """A rich progress bar on a terminal; a callable(domain, status) either way."""
    if quiet or not sys.stderr.isatty():
        yield lambda total: (lambda domain, status: None)
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), transient=True) as bar:
        def factory(total: int):
            task = bar.add_task(what, total=total)
            return lambda domain, status: bar.advance(task)

        yield factory


def _crawl_options(args):
    from crawler.crawl import CrawlOptions

    if args.asn_db:
        from crawler.enrich.asndb import AsnDb, AsnDbError

        try:
            AsnDb.open(args.asn_db)
        except AsnDbError as exc:
            raise UserError(str(exc)) from None
    for net in args.public_net:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError:
            raise UserError(f"--public-net takes a network like 127.1.0.0/16, not {net!r}"
                            ) from None
    for name, url in (("--rdap-url", args.rdap_url), ("--rdap-bootstrap", args.rdap_bootstrap)):
        if url and not url.startswith(("http://", "https://")):
            raise UserError(f"{name} must be an http:// or https:// URL")
    try:
        nameservers = [split_hostport(n, 53) for n in args.nameserver]
        whois_server = split_hostport(args.whois_server, 43) if args.whois_server else None
    except ValueError:
        raise UserError("--nameserver and --whois-server take HOST or HOST:PORT") from None
    if args.delay < 0:
        raise UserError("--delay must be 0 or more")
    for name, value in (("--max-pages", args.max_pages), ("--concurrency", args.concurrency),
                        ("--per-site", args.per_site)):
        if value < 1:
            raise UserError(f"{name} must be at least 1")
    if args.depth < 0 or args.timeout <= 0:
        raise UserError("--depth must be 0 or more and --timeout more than 0")
    return CrawlOptions(
        proxy=args.proxy, nameservers=nameservers, whois_server=whois_server,
        max_pages=args.max_pages, depth=args.depth, concurrency=args.concurrency,
        per_site=args.per_site, delay=args.delay, user_agent=args.user_agent, robots=args.robots,
        timeout=args.timeout, label=args.label, allow_private=args.allow_private,
        references=args.reference, rdap_url=args.rdap_url, asn_db=args.asn_db,
        rdap_bootstrap=args.rdap_bootstrap,
        public_nets=args.public_net, whois_cache_days=args.whois_cache_days, warc=args.warc,
        expand=args.expand, expand_max=args.expand_max, expand_dry_run=args.expand_dry_run,
    )


def cmd_crawl(args, db: str) -> int:
    from crawler.crawl import ResumeError, crawl

    for path in (args.seeds, args.reference):
        if path and not Path(path).is_file():
            raise UserError(f"seed file not found: {path}")
        if path:
            read_seeds(path)  # a file with no usable line is refused before anything is made
    opts = _crawl_options(args)
    try:
        check_servers(opts.proxy, opts.nameservers, opts.whois_server, opts.rdap_url,
                      opts.timeout)
    except PreflightError as exc:
        raise UserError(str(exc)) from None
    started = time.monotonic()
    lock = RunLock(db)
    try:
        lock.acquire(wait=not getattr(args, "skip_if_busy", False),
                     notice=lambda m: print(m, file=sys.stderr))
    except Busy as exc:
        raise UserError(str(exc)) from None
    with lock, _progress(args.quiet, "crawling") as factory:
        try:
            summary = crawl(args.seeds, db, opts, progress_factory=factory, resume=args.resume)
        except ResumeError as exc:
            raise UserError(str(exc)) from None
    _warn(summary.warnings)
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
          f" pages in {time.monotonic() - started:.1f}s -> {db}")
    if summary.seeds and not summary.statuses.get("ok"):
        print(f"warning: no site answered in run {summary.run_id}: it is kept, but the next"
              " run takes its cluster ids and its diff from the last run in which sites"
              " answered", file=sys.stderr)
    return summary.run_id


def cmd_cluster(args, db: str, run=None) -> None:
    from crawler.analyse import cluster_run

    config = load_config(getattr(args, "evidence_config", None))
    store = Store(db, create=False)
    run_id = store.resolve_run(run if run is not None else args.run)
    if store.run_info(run_id)["state"] == "crawling":
        raise UserError(f"run {run_id} is still crawling, or was interrupted: the same crawl"
                        " command (or `facade crawl SEEDS --resume`) finishes it; `facade"
                        " report` shows it as it is now")
    started = time.monotonic()
    with _progress(args.quiet, "reading sites") as factory:
        tick = factory(len(store.sites(run_id)))
        result = cluster_run(store, run_id, config, progress=lambda domain: tick(domain, ""))
    linked = [c for c in result.clusters if len(c.domains) > 1]
    print(f"run {run_id}: {len(result.clusters)} clusters, {len(linked)} linking"
          f" {sum(len(c.domains) for c in linked)} sites ({time.monotonic() - started:.1f}s)")
    for c in linked[:10]:
        kinds = sorted({e.kind for e in c.evidence if e.strength == "strong"})
        print(f"  {c.id}  {len(c.domains):3d} sites  {', '.join(kinds)}")
    store.close()


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
    from crawler.reporting import FILES, report_dict, write_report

    store = Store(db, create=False)
    run_id = store.resolve_run(args.run)
    output = _report_path(args.output, args.format, run_id, FILES[args.format])
    warnings: list[str] = []
    report = report_dict(store, run_id)
    path = write_report(report, args.format, output, warnings)
    _warn(warnings)
    if report["run"].get("partial"):
        print(f"note: {report['run']['note']}", file=sys.stderr)
    print(f"run {run_id}: {args.format} report -> {path}")


MAX_WARNINGS_SHOWN = 20


def _warn(warnings: list[str]) -> None:
    """Warnings on stderr, the first 20 of them (a seed file of 5,000 bad lines is not
    5,000 lines on a terminal); the crawl keeps them all with the run."""
    unique = list(dict.fromkeys(warnings))
    for warning in unique[:MAX_WARNINGS_SHOWN]:
        print(f"warning: {safe_text(warning)}", file=sys.stderr)
    if len(unique) > MAX_WARNINGS_SHOWN:
        print(f"warning: ... and {len(unique) - MAX_WARNINGS_SHOWN} more", file=sys.stderr)


def cmd_run(args, db: str) -> Path:
    from crawler.reporting import report_dict, write_all

    run_id = cmd_crawl(args, db)
    cmd_cluster(args, db, run=run_id)
    store = Store(db)
    folder = Path(args.output or f"output/run-{run_id}")
    warnings: list[str] = []
    write_all(report_dict(store, run_id), folder, warnings,
              written=lambda fmt, path: print(f"{fmt:8s} {path}", flush=True))
    _warn(warnings)
    return folder


def parse_interval(text: str) -> float:
    units = {"d": 86400, "h": 3600, "m": 60, "s": 1}
    try:
        value, unit = float(text[:-1]), text[-1].lower()
        seconds = value * units[unit]
    except (ValueError, KeyError, IndexError):
        raise UserError(f"--every takes a number and a unit (7d, 12h, 30m, 90s), not {text!r}"
                        ) from None
    if seconds <= 0:
        raise UserError("--every must be more than 0")
    return seconds


def _run_argv(argv: list[str], folder: str) -> list[str]:
    """The `facade run` command line of one scheduled run of a `facade watch` command line."""
    out, skip = [], 0
    for arg in argv:
        if skip:
            skip -= 1
            continue
        if arg in ("--every", "--runs", "-o", "--output"):
            skip = 1
            continue
        if arg.startswith(("--every=", "--runs=", "--output=")):
            continue
        out.append("run" if arg == "watch" and "run" not in out else arg)
    return [*out, "-o", folder, "--skip-if-busy"]


def cmd_watch(args, db: str) -> None:
    """Run the whole pipeline every interval, each run in a process of its own. A run whose
    time comes while another crawl of the database is still going is skipped (and said so),
    never run over it; the diff against the previous run is printed and kept with the run."""
    import json
    import subprocess

    from analysis.diff import diff_text

    every = parse_interval(args.every)
    base = Path(args.output or "output")
    done = 0
    while True:
        started = time.monotonic()
        folder = base / f"watch-{time.strftime('%Y%m%d-%H%M%S')}"
        print(f"run {done + 1}: writing to {folder}", flush=True)
        child = subprocess.run([sys.executable, "-m", "crawler.cli",
                                *_run_argv(args.argv, str(folder))],
                               capture_output=True, text=True)
        if child.returncode == 0:
            report = json.loads((folder / "report.json").read_text())
            print(child.stdout.strip().splitlines()[0] if child.stdout.strip() else "")
            if report.get("diff"):
                (folder / "diff.json").write_text(json.dumps(report["diff"], indent=1))
                print(safe_text(diff_text(report["diff"])), flush=True)
        elif "is running" in child.stderr:
            print(f"skipped this run: {child.stderr.strip().removeprefix('facade: error: ')}",
                  flush=True)
        else:
            raise UserError(f"the scheduled run failed: {child.stderr.strip()[-500:]}")
        done += 1
        if args.runs and done >= args.runs:
            return
        pause = max(0.0, every - (time.monotonic() - started))
        at = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(time.time() + pause))
        print(f"next run at {at} (every {args.every}; Ctrl-C stops)", flush=True)
        time.sleep(pause)


def cmd_history(args, db: str) -> None:
    from analysis.domains import InvalidHost
    from crawler.seeds import normalise_entry

    try:  # as a seed is read: a URL, a defanged indicator, a *. wildcard
        domain = normalise_entry(args.domain)
    except InvalidHost as exc:
        raise UserError(f"{args.domain!r}: {exc}") from None
    store = Store(db, create=False)
    runs = store.site_history(domain)
    if not runs:
        raise UserError(f"{domain} is in no run of {db}")
    print(domain)
    for run_id, started, status in runs:
        print(f"  run {run_id:<4} {started[:16]}  {status}")
    for kind, values in sorted(store.feature_history(domain).items()):
        if kind in ("title", "txt", "creation_date", "registrant_privacy"):
            continue
        for value, seen in values.items():  # registry and page values: hostile on a terminal
            print(f"  {kind:20s} {safe_text(value):60s} runs {','.join(map(str, seen))}")


def cmd_import(args, db: str) -> None:
    from crawler.importer import ImportError_, import_file

    try:
        run_id, count, warnings = import_file(args.file, db, args.label)
    except ImportError_ as exc:
        raise UserError(str(exc)) from None
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"run {run_id}: imported {count} sites from {args.file} -> {db}"
          f" (next: facade cluster --run {run_id} --db {db})")


def cmd_diff(args, db: str) -> None:
    import json

    from analysis.diff import diff_text
    from crawler.reporting import run_diff

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
    diff = run_diff(store, from_run, to_run)
    text = json.dumps(diff, indent=1) if args.format == "json" else safe_text(diff_text(diff))
    if args.output:
        Path(args.output).write_text(text + "\n", encoding="utf-8")
        print(f"diff of runs {from_run} -> {to_run} -> {args.output}")
    else:
        print(text)


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
    db = db or str(out / "facade.db")
    with LabServer(seed=args.seed, sites=args.sites, folder=out / "lab") as lab:
        parser = build_parser()
        run_args = parser.parse_args(["run", str(lab.seeds_file), *lab.crawl_args(),
                                      "--reference", str(lab.references_file),
                                      "--timeout", "10", "--label", f"lab world {args.seed}",
                                      "-o", str(out), *(["--quiet"] if args.quiet else [])])
        folder = cmd_run(run_args, db)
    print(f"\nOpen the report: {folder / 'report.html'}")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    db = args.db or DEFAULT_DB
    commands = {
        "crawl": cmd_crawl, "cluster": cmd_cluster, "report": cmd_report, "run": cmd_run,
        "watch": cmd_watch, "history": cmd_history, "import": cmd_import, "diff": cmd_diff,
        "lab": lambda a, _db: cmd_lab_serve(a), "demo": lambda a, _db: cmd_demo(a, a.db),
        "extract": lambda a, _db: extract.run(a),
    }
    try:
        commands[args.command](args, db)
    except (UserError, StoreError, ConfigError, SeedError, extract.ExtractError) as exc:
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
    except Interrupted as exc:  # SIGINT or SIGTERM during a crawl: the run is kept
        print(f"facade: {exc}", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        print("facade: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
