"""The demo oracle's wall time on PostgreSQL against SQLite, and their ratio.

    python benchmarks/storage_backends.py [--study studies/demo.toml] [--cycles L]
        [--postgres URL]

Both runs happen in this process, one after the other, on the same local Ray instance (started
once, before timing), each into fresh storage so nothing is resumed: a new SQLite file, and a
new database on the PostgreSQL server at ``--postgres`` (an admin URL), else on a throwaway
server this script starts from the machine's binaries (``tests/pg_server.py``). CPU training
is bitwise reproducible, so the two answers must agree; that is checked and printed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

from scyc_tune.oracle.driver import run_oracle
from scyc_tune.runs.launch import RayOptions, ensure_ray
from scyc_tune.study import load_study
from scyc_tune.study.load import Override

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import pg_server  # noqa: E402


def timed(study_path: Path, study, url: str, root: Path) -> tuple[float, list]:
    options = RayOptions(None, 1.0, 0.0, None, False, root / "ray")
    t0 = time.perf_counter()
    outcomes = run_oracle(
        study, study_path.read_text(), storage_url=url, artifact_dir=root / "art", ray=options
    )
    return time.perf_counter() - t0, outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, default=Path("studies/demo.toml"))
    parser.add_argument("--cycles", type=int, default=None)
    parser.add_argument("--postgres", default=None, help="admin URL of a PostgreSQL server")
    args = parser.parse_args()
    overrides = [] if args.cycles is None else [Override("pruning.cycles", args.cycles, "-")]
    study = load_study(args.study, overrides)
    server = None if args.postgres else Path(f"/tmp/scyc-bench-pg-{uuid.uuid4().hex[:8]}")
    admin = args.postgres or pg_server.start(server)
    import psycopg

    name = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    try:
        ensure_ray(None)
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            lite, out1 = timed(args.study, study, f"sqlite:///{a}/scyc.db", Path(a))
            pg, out2 = timed(args.study, study, admin.rsplit("/", 1)[0] + f"/{name}", Path(b))
    finally:
        with psycopg.connect(admin, autocommit=True) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if server is not None:
            pg_server.stop(server)
    same = [o.answer for o in out1] == [o.answer for o in out2]
    trials = sum(len(o.answer.points) for o in out1)
    print(f"study {args.study}, {len(out1)} cycles, {trials} grid points per run")
    print(f"SQLite    : {lite:8.1f} s")
    print(f"PostgreSQL: {pg:8.1f} s")
    print(f"ratio (PostgreSQL / SQLite): {pg / lite:.2f}; same answers: {same}")


if __name__ == "__main__":
    main()
