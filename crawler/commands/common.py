"""What every command shares: the default database, user errors, progress and warnings."""

from __future__ import annotations

import sys
from contextlib import contextmanager

from crawler.runs.terminal import safe_text

DEFAULT_DB = "output/facade.db"


class UserError(Exception):
    """A problem the user can fix; printed as one line, exit status 2."""


BUSY_EXIT = 75  # EX_TEMPFAIL (sysexits.h): try again later


class BusyError(UserError):
    """Another crawl of the database is running and the user asked not to wait; exit 75,
    which `facade watch` (and cron wrappers) tell from a failure."""


@contextmanager
def progress(quiet: bool, what: str):
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


MAX_WARNINGS_SHOWN = 20


def warn(warnings: list[str]) -> None:
    """Warnings on stderr, the first 20 of them (a seed file of 5,000 bad lines is not
    5,000 lines on a terminal); the crawl keeps them all with the run."""
    unique = list(dict.fromkeys(warnings))
    for warning in unique[:MAX_WARNINGS_SHOWN]:
        print(f"warning: {safe_text(warning)}", file=sys.stderr)
    if len(unique) > MAX_WARNINGS_SHOWN:
        print(f"warning: ... and {len(unique) - MAX_WARNINGS_SHOWN} more", file=sys.stderr)
