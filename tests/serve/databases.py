"""Real databases for the store's tests: a SQLite file, and a throwaway PostgreSQL cluster per test worker.

The cluster is made with the machine's own `initdb`/`pg_ctl` (Debian: /usr/lib/postgresql/<v>/bin) in a
temporary folder, on its own port and socket folder, so parallel pytest-xdist workers never share one.
As root, PostgreSQL refuses to run, so the cluster runs as the `postgres` (or `nobody`) user via runuser.
`SPELLTUNE_TEST_POSTGRES_URL=postgresql://user@host:port/db` uses an existing server instead (CI).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: $SPELLTUNE_TEST_POSTGRES_BIN, Debian's newest, or on PATH."""
    override = os.environ.get("SPELLTUNE_TEST_POSTGRES_BIN")
    candidates = [override] if override else sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                                                    key=lambda p: int(Path(p).parent.name), reverse=True)
    on_path = shutil.which("initdb")
    if on_path and not override:
        candidates.append(str(Path(on_path).parent))
    for folder in candidates:
        if folder and (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


@dataclass
class PostgresServer:
    """A PostgreSQL server tests may create databases on; `admin_url` reaches its maintenance database."""

    admin_url: str
    stop_command: list[str] | None = None
    folder: Path | None = None

    def create_database(self) -> str:
        """A new empty database; returns its URL."""
        import psycopg
        from sqlalchemy.engine import make_url

        name = f"spelltune_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self._libpq(self.admin_url), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def drop_database(self, url: str) -> None:
        """Drop a database made by create_database, closing whoever is still connected to it."""
        import psycopg
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        with psycopg.connect(self._libpq(self.admin_url), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @staticmethod
    def _libpq(url: str) -> str:
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
        parts = {"host": parsed.host, "port": parsed.port, "user": parsed.username, "password": parsed.password,
                 "dbname": parsed.database}
        return " ".join(f"{key}={value}" for key, value in parts.items() if value)

    def stop(self) -> None:
        """Stop a cluster this module started and delete its folder."""
        if self.stop_command:
            subprocess.run(self.stop_command, capture_output=True, timeout=60)
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> PostgresServer | str:
    """A running PostgreSQL for this test worker, or why there cannot be one (the reason to skip)."""
    try:
        import psycopg  # noqa: F401
    except ModuleNotFoundError:
        return "psycopg is not installed (pip install 'spelltune[postgres]')"
    existing = os.environ.get("SPELLTUNE_TEST_POSTGRES_URL")
    if existing:
        return PostgresServer(existing)
    binaries = postgres_binaries()
    if binaries is None:
        return "no PostgreSQL binaries (initdb, pg_ctl) on this machine; apt-get install postgresql"
    run_as: list[str] = []
    owner = None
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        owner = next((name for name in ("postgres", "nobody") if _user_exists(name)), None)
        if runuser is None or owner is None:
            return "running as root with no runuser or unprivileged user to run PostgreSQL as"
        run_as = [runuser, "-u", owner, "--"]
    folder = Path(tempfile.mkdtemp(prefix="spelltune-pg-"))
    if owner:
        shutil.chown(folder, user=owner)
    port = _free_port()
    data = folder / "data"
    initdb = subprocess.run([*run_as, str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "spelltune",
                             "-E", "UTF8", "--no-sync"], capture_output=True, text=True, timeout=120)
    if initdb.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        return f"initdb failed: {initdb.stderr.strip()[-300:]}"
    options = (f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
               "-c full_page_writes=off -c shared_buffers=16MB -c max_connections=60")
    pg_ctl = str(binaries / "pg_ctl")
    started = subprocess.run([*run_as, pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w",
                              "-t", "60", "start"], capture_output=True, text=True, timeout=120)
    server = PostgresServer(f"postgresql://spelltune@127.0.0.1:{port}/postgres",
                            [*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], folder)
    if started.returncode != 0:
        log = (folder / "log").read_text(errors="replace")[-300:] if (folder / "log").exists() else ""
        server.stop()
        return f"pg_ctl start failed: {started.stderr.strip()[-300:]} {log}"
    return server


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False
