"""A throwaway PostgreSQL server for the ``postgres`` tests, from the machine's own binaries.

``initdb`` into a fresh directory, listening on loopback only (a free port, its socket in the
same directory), trust authentication for the ``postgres`` role. The server refuses to run as
root, so as root it runs as the system user ``scyc-pg`` (created once with ``useradd``).

Used two ways: ``.ci/run`` starts one for the whole run (``python tests/pg_server.py start DIR``
prints the admin URL, ``stop DIR`` stops it) and passes the URL in ``SCYC_TEST_POSTGRES_URL``;
without that variable the tests' fixture starts its own (``tests/conftest.py``).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

USER = "scyc-pg"


class Unavailable(RuntimeError):
    """No PostgreSQL server can be started here (the reason is the message)."""


def binaries() -> Path:
    """The folder holding ``initdb`` and ``pg_ctl``."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    raise Unavailable("no PostgreSQL server binaries (initdb, pg_ctl) on this machine")


def _as_owner(argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    if subprocess.run(["id", "-u", USER], capture_output=True).returncode != 0:
        made = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", USER],
            capture_output=True,
            text=True,
        )
        if made.returncode != 0 and "already exists" not in made.stderr:
            raise Unavailable(f"cannot create the user {USER}: {made.stderr.strip()}")
    return ["runuser", "-u", USER, "--", *argv]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(root: Path) -> str:
    """Start a server with its data and socket under ``root``; its admin URL."""
    bin_dir = binaries()
    root.mkdir(parents=True, exist_ok=True)
    data = root / "data"
    if os.geteuid() == 0:
        _as_owner(["true"])  # creates the user
        shutil.chown(root, USER)
        os.chmod(root, 0o700)
    run = lambda argv: subprocess.run(_as_owner(argv), capture_output=True, text=True)  # noqa: E731
    made = run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                "--no-sync", "-E", "UTF8"])  # fmt: skip
    if made.returncode != 0:
        raise Unavailable(f"initdb failed: {(made.stderr or made.stdout).strip()[-400:]}")
    port = _free_port()
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {root} -c fsync=off "
        "-c max_connections=200 -c full_page_writes=off"
    )
    started = run([str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options,
                   "-l", str(root / "server.log"), "-w", "-t", "60", "start"])  # fmt: skip
    if started.returncode != 0:
        log = (root / "server.log").read_text() if (root / "server.log").exists() else ""
        raise Unavailable(f"pg_ctl start failed: {(started.stderr + log).strip()[-400:]}")
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def stop(root: Path) -> None:
    data = root / "data"
    if data.exists():
        subprocess.run(
            _as_owner([str(binaries() / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
        )
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    verb, folder = sys.argv[1], Path(sys.argv[2])
    if verb == "start":
        try:
            print(start(folder))
        except Unavailable as e:
            print(f"pg_server: {e}", file=sys.stderr)
            sys.exit(1)
    else:
        stop(folder)
