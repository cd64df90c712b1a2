"""Shared fixtures: the lab world, started once per test session, and a full `facade run`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.lab.server import LabServer

ROOT = Path(__file__).resolve().parent.parent
GUARD = Path(__file__).resolve().parent / "loopback_guard"
sys.path.insert(0, str(GUARD))
import sitecustomize as _loopback_guard  # noqa: E402  (installs the guard in this process)

_loopback_guard.install()


def guarded_env(**extra: str) -> dict:
    """The environment for a subprocess: the loopback guard on, no proxy variables."""
    env = {k: v for k, v in os.environ.items()
           if k.lower() not in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD), env.get("PYTHONPATH")]))
    env["PYTHONWARNINGS"] = "ignore"
    return {**env, **extra}


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    server = LabServer(seed=1, folder=tmp_path_factory.mktemp("lab")).start()
    yield server
    server.stop()


def facade(*args: str, cwd: Path | None = None, check: bool = True,
           timeout: float = 600) -> subprocess.CompletedProcess:
    """Run the real `facade` command line in a subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args], cwd=cwd or ROOT, env=guarded_env(),
        capture_output=True, text=True, timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"facade {' '.join(args)} failed ({proc.returncode}):\n"
                             f"{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def fault_lab(tmp_path_factory):
    """The lab world with its fault sites (a tarpit holds a crawl open for 2 x --timeout)."""
    with LabServer(seed=2, folder=tmp_path_factory.mktemp("lab"), faults=True) as lab:
        yield lab


@pytest.fixture(scope="session")
def lab_run(lab, tmp_path_factory):
    """`facade run` over the whole lab world: the database, reports and output."""
    out = tmp_path_factory.mktemp("run")
    db = out / "facade.db"
    proc = facade("run", str(lab.seeds_file), *lab.crawl_args(), "--timeout", "10",
                  "--reference", str(lab.references_file),
                  "--db", str(db), "-o", str(out / "reports"), "--quiet")
    report = json.loads((out / "reports" / "report.json").read_text())
    truth = json.loads(lab.truth_file.read_text())
    return {"db": db, "out": out, "proc": proc, "report": report, "truth": truth,
            "html": (out / "reports" / "report.html").read_text()}



def _service(kind: str, tmp_path_factory):
    """A real server of ``kind`` (crawler/lab/services.py) for the session, or a skip with
    the package to install (.ci/run installs them all)."""
    from crawler.lab import services

    try:
        server = getattr(services, kind)(tmp_path_factory.mktemp(kind.lower())).start()
    except services.ServiceMissing as exc:
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """A real PostgreSQL server (Debian's postgresql) for this session."""
    yield from _service("PostgresServer", tmp_path_factory)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real Redis server (Debian's redis-server) for this session."""
    yield from _service("RedisServer", tmp_path_factory)


_DATABASES = iter(range(1, 1_000_000))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_location(request, tmp_path):
    """A new empty store of each kind: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "facade.db")
    return request.getfixturevalue("postgres").create_database(f"t{next(_DATABASES)}")
