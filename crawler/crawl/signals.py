"""Ctrl-C and SIGTERM during a crawl: the run is kept, resumable, and the exit status says
which signal stopped it (128 + its number)."""

from __future__ import annotations

import os
import signal
import sys
import threading

STOP_GRACE_SECONDS = 3.0


class Interrupted(Exception):
    """The crawl was stopped by SIGINT or SIGTERM; the run is kept and can be resumed."""

    def __init__(self, run_id: int, signum: int, finished: int, total: int,
                 message: str | None = None):
        super().__init__(message or f"interrupted: run {run_id} kept ({finished} of {total}"
                         " sites finished); the same command, or `facade crawl SEEDS"
                         " --resume`, finishes it")
        self.run_id, self.signum = run_id, signum


class _Stop(BaseException):
    """Raised in the main thread by a stop signal that came outside the reactor."""


class StopSignal:
    """SIGINT and SIGTERM during a crawl: the first stops it cleanly (the reactor's crawl
    is stopped; elsewhere ``_Stop`` is raised), a second one quits at once. Everything
    stored stays stored either way: every write is its own transaction."""

    def __init__(self):
        self.signum = 0
        self.on_first = None  # set while the reactor runs
        self._saved: dict = {}

    def __enter__(self) -> StopSignal:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._saved[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._saved.items():
            signal.signal(sig, handler)

    def _handle(self, signum, frame) -> None:
        if self.signum:
            os._exit(128 + self.signum)
        self.signum = signum
        print("facade: stopping; what is stored is kept (again to quit at once)",
              file=sys.stderr, flush=True)
        if self.on_first is not None:
            self.on_first()
        else:
            raise _Stop
