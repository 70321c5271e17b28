"""scripts/ensure-postgres.sh and stop-postgres.sh from a checkout the postgres user cannot
enter (issue #15: a clone in root's home or in a ``mktemp -d`` folder, mode 0700, made initdb
fail with "Permission denied", and so ``make test``).

The scripts are copied into such a folder and run there on a free port: the server must
start, answer, stop, and ``--remove`` (``make clean``) must delete its cluster folder.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import ROOT

# Starts and stops a PostgreSQL server of its own: the postgres tier.
pytestmark = pytest.mark.postgres


def _can_run_a_server() -> str | None:
    """Why this machine cannot run the scripts' server here, or None."""
    if os.geteuid() != 0:
        return "needs root (the scripts run the server as the postgres OS user)"
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        return "PostgreSQL is not installed (scripts/ensure-postgres.sh installs it)"
    if shutil.which("runuser") is None or shutil.which("sha256sum") is None:
        return "needs runuser and sha256sum"
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres OS user"
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _run(script: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(script), *args], capture_output=True, text=True, check=False, env=env
    )


def _answers(port: int) -> bool:
    engine = create_engine(f"postgresql+psycopg://tracker:tracker@127.0.0.1:{port}/tracker_test")
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT 1")).scalar() == 1
    except Exception:
        return False
    finally:
        engine.dispose()


@pytest.mark.skipif(_can_run_a_server() is not None, reason=str(_can_run_a_server()))
def test_the_test_server_runs_from_a_folder_postgres_cannot_enter(tmp_path: Path) -> None:
    private = tmp_path / "private"
    private.mkdir(mode=0o700)
    checkout = private / "clone"
    shutil.copytree(ROOT / "scripts", checkout / "scripts")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_PG_DIR"}
    env["TRACKER_PG_PORT"] = str(port)
    scripts = checkout / "scripts"
    try:
        started = _run(scripts / "ensure-postgres.sh", env=env)
        assert started.returncode == 0, started.stderr
        assert f"PostgreSQL running on 127.0.0.1:{port}" in started.stderr, started.stderr
        cluster = Path(started.stderr.rsplit("(data in ", 1)[1].split(")")[0]).parent
        assert not cluster.is_relative_to(private)  # where the postgres user can reach it
        assert _answers(port)
        again = _run(scripts / "ensure-postgres.sh", env=env)  # idempotent
        assert again.returncode == 0, again.stderr
    finally:
        stopped = _run(scripts / "stop-postgres.sh", "--remove", env=env)
    assert stopped.returncode == 0, stopped.stderr
    assert not _answers(port)
    assert not cluster.exists()
