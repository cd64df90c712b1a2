"""`facade watch SEEDS --every 7d`: the whole pipeline on a schedule."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from crawler.commands.common import BUSY_EXIT, UserError
from crawler.commands.options import crawl_argv
from crawler.runs.terminal import safe_text


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


def _run_argv(args, db: str, folder: str) -> list[str]:
    """The `facade run` command line of one scheduled run, written from the parsed options
    (crawler/commands/options.py), not cut out of the watch command line."""
    quiet = ["--quiet"] if args.quiet else []
    return ["run", args.seeds, *crawl_argv(args), "--db", db, "-o", folder, "--skip-if-busy",
            *quiet]


def cmd_watch(args, db: str) -> None:
    """Run the whole pipeline every interval, each run in a process of its own. A run whose
    time comes while another crawl of the database is still going is skipped (and said so),
    never run over it; the diff against the previous run is printed and kept with the run."""
    import json
    import subprocess

    from analysis.reports.diff import diff_text

    every = parse_interval(args.every)
    base = Path(args.output or "output")
    done = 0
    while True:
        started = time.monotonic()
        folder = base / f"watch-{time.strftime('%Y%m%d-%H%M%S')}"
        print(f"run {done + 1}: writing to {folder}", flush=True)
        child = subprocess.run([sys.executable, "-m", "crawler.cli",
                                *_run_argv(args, db, str(folder))],
                               capture_output=True, text=True)
        if child.returncode == 0:
            report = json.loads((folder / "report.json").read_text())
            print(child.stdout.strip().splitlines()[0] if child.stdout.strip() else "")
            if report.get("diff"):
                (folder / "diff.json").write_text(json.dumps(report["diff"], indent=1))
                print(safe_text(diff_text(report["diff"])), flush=True)
        elif child.returncode == BUSY_EXIT:
            print(f"skipped this run: {child.stderr.strip().removeprefix('facade: busy: ')}",
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
