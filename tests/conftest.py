"""Session fixtures shared across test folders: one small end-to-end `scyc-tune run`, and a
PostgreSQL server for the ``postgres`` tests (a fresh database per test), an S3-compatible
server for the object-storage tests (a fresh bucket per test)."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import pg_server  # noqa: E402 - tests/pg_server.py, also run by .ci/run
import s3_server  # noqa: E402 - tests/s3_server.py

PIPELINE_STUDY = """
name = "e2e"
description = "end-to-end test study"
seed = 3
schedule = "s-cyc"
[data]
name = "digits"
[model]
name = "fc"
hidden = [32, 32]
[pruning]
method = "global_magnitude"
rate = 0.5
cycles = 3
[training]
iterations = 60
batch_size = 32
eval_every = 20
[schedules.constant]
type = "constant"
a = 0.02
[schedules.warm]
type = "warmup"
a = 0.05
b = 10
c = 50
d = "Nil"
[schedules.s-cyc]
type = "scyc"
epsilon = 0.05
delta = 0.1
q = 0
beta = 3
b = 10
c = 50
d = "Nil"
[schedules.auto]
type = "auto"
max_lr_0 = 0.05
lr_min = 0.01
lr_max = 0.5
gradient_batches = 2
b = 10
c = 50
d = "Nil"
[oracle]
schedule = "warm"
grid = [0.02, 0.05, 0.1, 0.2]
[fit]
oracle_trials = 40
[compare]
schedules = ["constant", "warm", "s-cyc", "auto"]
seeds = 2
held_out = false  # in-sample: the oracle row at the study seed is the oracle's own chain
tune_grid = [0.02, 0.05]
"""


class Pipeline:
    """A project folder where `scyc-tune run study.toml` ran once (and its outputs)."""

    def __init__(self, root, storage=None):
        self.root = root
        self.storage = storage  # a database URL ($SCYC_STORAGE), else the default SQLite file
        (root / "study.toml").write_text(PIPELINE_STUDY)
        self.log = root / "trainings.log"
        self.first = self.run("run", "study.toml")
        self.first_trainings = self.trainings()

    def run(self, *argv, timeout=420):
        env = {**os.environ, "SCYC_TRAINING_LOG": str(self.log)}
        if self.storage:
            env["SCYC_STORAGE"] = self.storage
        t0 = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "scyc_tune", *argv],
            cwd=self.root,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        done.wall = time.monotonic() - t0
        return done

    def trainings(self):
        return self.log.read_text().split() if self.log.exists() else []

    @property
    def report_dir(self):
        return self.root / "storage" / "reports" / "e2e"


@pytest.fixture(scope="session")
def pipeline(tmp_path_factory):
    p = Pipeline(tmp_path_factory.mktemp("pipeline"))
    assert p.first.returncode == 0, p.first.stderr[-4000:]
    return p


@pytest.fixture(scope="session")
def postgres_admin(tmp_path_factory):
    """The admin URL of a live PostgreSQL server: ``$SCYC_TEST_POSTGRES_URL`` (``.ci/run``
    starts one), else one started here from the machine's binaries; skipped, saying why, only
    where none can be started."""
    given = os.environ.get("SCYC_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    root = Path(f"/tmp/scyc-pg-{uuid.uuid4().hex[:8]}")
    try:
        url = pg_server.start(root)
    except pg_server.Unavailable as e:
        pg_server.stop(root)
        pytest.skip(f"no PostgreSQL server could be started: {e}")
    yield url
    pg_server.stop(root)


@pytest.fixture
def postgres_url(postgres_admin):
    """A new empty database on the server, dropped after the test."""
    psycopg = pytest.importorskip("psycopg", reason="psycopg 3 (the postgres extra) is missing")
    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_admin, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    yield postgres_admin.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(postgres_admin, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def s3_server_on_loopback():
    """moto's S3 server on 127.0.0.1, with the test credentials in this process's environment
    (and so in the subprocesses and local Ray workers it starts)."""
    pytest.importorskip("moto.server", reason="moto[server] (in the test extra) is missing")
    saved = {k: os.environ.get(k) for k in s3_server.CREDENTIALS}
    os.environ.update(s3_server.CREDENTIALS)
    server = s3_server.S3Server()
    yield server
    server.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def s3(s3_server_on_loopback):
    """(server, a fresh bucket's name)."""
    return s3_server_on_loopback, s3_server_on_loopback.new_bucket()
