"""A throwaway PostgreSQL server for the tests and the bench: its own data folder, a free
local port, started and stopped by the caller. It never connects to, or stops, a server it
did not start.

    with throwaway_postgres() as env:   # libpq's PGHOST, PGPORT, PGUSER, PGDATABASE
        subprocess.run([... dbt ..., "--target", "postgres"], env={**os.environ, **env})

The server binaries are Debian's (package postgresql, /usr/lib/postgresql/<major>/bin).
PostgreSQL refuses to run as root, so when this process is root the server runs as the
`postgres` user the package creates. Authentication is `trust` on 127.0.0.1 only: the
server lives for one test run and listens nowhere else.
"""
from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

USER = "lifecycle"
DATABASE = "lifecycle"


def server_bin_dir() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, or None."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                   key=lambda path: int(Path(path).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).resolve().parent if pg_ctl else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextlib.contextmanager
def throwaway_postgres(work_mem: str = "64MB") -> Iterator[dict[str, str]]:
    """Start a server in a new temporary folder; yield the libpq env vars that reach it."""
    bin_dir = server_bin_dir()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL server binaries not found: apt-get install postgresql")
    root = Path(tempfile.mkdtemp(prefix="lifecycle-pg-"))
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    try:
        subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", USER,
                                        "--auth=trust", "-E", "UTF8", "--no-locale"]),
                       check=True, capture_output=True, text=True)
        # durability off: the data lives for one test run
        options = (f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off "
                   f"-c synchronous_commit=off -c full_page_writes=off -c work_mem={work_mem} "
                   "-c timezone=UTC")
        subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options,
                                        "-l", str(log), "-w", "-t", "60", "start"]),
                       check=True, capture_output=True, text=True)
        env = {"PGHOST": "127.0.0.1", "PGPORT": str(port), "PGUSER": USER, "PGDATABASE": "postgres"}
        subprocess.run([str(bin_dir / "createdb"), DATABASE], env={**os.environ, **env},
                       check=True, capture_output=True, text=True)
        yield {**env, "PGDATABASE": DATABASE, "PGPASSWORD": ""}
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast",
                                            "-w", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    # a smoke check: start, print the env, stop
    with throwaway_postgres() as reached:
        print(reached)
        subprocess.run(["psql", "-Atc", "select version()"], env={**os.environ, **reached}, check=True)
