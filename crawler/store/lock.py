"""One crawl at a time per database: an exclusive lock file next to it (fcntl.flock, released
by the kernel when the process ends, even by kill -9, so a crash never leaves it stuck)."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path


class Busy(RuntimeError):
    """Another crawl holds this database."""


class RunLock:
    def __init__(self, db_path: str | Path):
        self.path = Path(str(db_path) + ".lock")
        self._fd: int | None = None

    def acquire(self, wait: bool, notice=None, poll: float = 1.0) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not wait:
                    os.close(fd)
                    raise Busy(f"another crawl of {str(self.path)[:-5]} is running") from None
                if notice and not told:
                    notice(f"another crawl of {str(self.path)[:-5]} is running; waiting for it")
                    told = True
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> RunLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()
