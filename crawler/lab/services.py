"""Real PostgreSQL and Redis servers on loopback, started for the tests and benches.

Debian's ``postgresql`` and ``redis-server`` packages are used as installed (``.ci/run``
installs them); nothing here is a mock. Each server lives in a folder of its own and stops
with its ``with`` block.

Example:
    >>> with PostgresServer(tmp) as pg:            # doctest: +SKIP
    ...     Store(pg.url("facade")).create_run(...)
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


class ServiceMissing(RuntimeError):
    """The server's program is not installed."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if not found:
        raise ServiceMissing("PostgreSQL is not installed (Debian package postgresql)")
    return Path(found[-1]).parent


class PostgresServer:
    """A PostgreSQL cluster in ``folder`` on 127.0.0.1:<free port>, user ``facade``, no
    password (trust on loopback). Run as the ``postgres`` user when started by root, since
    PostgreSQL refuses to run as root."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.port = free_port()
        self.bin = _postgres_bin()
        self._as: list[str] = []
        if os.geteuid() == 0:
            self._as = ["runuser", "-u", "postgres", "--"]
            # The postgres user must reach its folder: pytest's are private to root.
            self.folder = Path(tempfile.mkdtemp(prefix="facade-pg-"))

    def _run(self, *cmd: str) -> None:
        done = subprocess.run([*self._as, *cmd], capture_output=True, text=True, timeout=120)
        if done.returncode:
            raise RuntimeError(f"{Path(cmd[0]).name} failed: {done.stderr.strip()[-500:]}")

    def start(self) -> PostgresServer:
        data = self.folder / "data"
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._as:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "facade",
                  "-E", "UTF8", "--locale", "C")
        self._run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.folder / "log"),
                  "-w", "-o", f"-h 127.0.0.1 -p {self.port} -k {self.folder}"
                  " -c fsync=off -c synchronous_commit=off -c max_connections=200", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://facade@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        subprocess.run([*self._as, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"),
                        "-m", "immediate", "stop"], capture_output=True, timeout=60)
        if self._as:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class RedisServer:
    """redis-server on 127.0.0.1:<free port>, no persistence, in ``folder``."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        program = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(program).exists():
            raise ServiceMissing("Redis is not installed (Debian package redis-server)")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            [program, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
