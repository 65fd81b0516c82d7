"""Eight oracle drivers on eight studies, one PostgreSQL database and one Ray cluster at once,
with the dashboard and ``scyc-tune status`` reading the database all along (issue 15, item 2):
every driver exits 0, no row is lost, no reader errs."""

import json
import os
import subprocess
import sys
import threading
import urllib.request

import pytest
import sqlalchemy as sa

from tests.ray_cluster import free_port, start_head, stop_all

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(600)]

STUDY = """
name = "driver-{i}"
seed = {i}
schedule = "warm"
[data]
name = "digits"
[model]
name = "fc"
hidden = [16]
[pruning]
method = "global_magnitude"
rate = 0.5
cycles = 1
[training]
iterations = 40
batch_size = 32
eval_every = 20
[schedules.warm]
type = "warmup"
a = 0.05
b = 5
c = 30
d = "Nil"
[oracle]
grid = [0.02, 0.05]
grow = 0
"""

N = 8


@pytest.fixture
def cluster():
    stop_all()
    address = start_head(cpus=2)
    yield address
    stop_all()


def scyc(tmp, *argv, url, wait=True):
    env = {**os.environ, "SCYC_STORAGE": url}
    env.pop("SCYC_TRAINING_LOG", None)
    cmd = [sys.executable, "-m", "scyc_tune", *argv]
    if wait:
        return subprocess.run(cmd, cwd=tmp, env=env, capture_output=True, text=True, timeout=300)
    return subprocess.Popen(
        cmd, cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_eight_drivers_and_two_readers_on_one_postgresql(tmp_path, postgres_url, cluster):
    for i in range(N):
        (tmp_path / f"study{i}.toml").write_text(STUDY.format(i=i))
    port = free_port()
    dashboard = scyc(tmp_path, "dashboard", "--port", str(port), url=postgres_url, wait=False)
    drivers = [
        scyc(tmp_path, "oracle", f"study{i}.toml", "--json", "--ray-address", cluster,
             url=postgres_url, wait=False)
        for i in range(N)
    ]  # fmt: skip
    reads = {"status": 0, "dashboard": 0}
    errors: list[str] = []
    done = threading.Event()

    def read_all_along():
        while not done.is_set():
            seen = scyc(tmp_path, "status", url=postgres_url)
            reads["status"] += 1
            if seen.returncode != 0:
                errors.append(f"status: {seen.stderr[-500:]}")
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/studies", timeout=10
                ) as r:
                    json.loads(r.read())
                    reads["dashboard"] += 1
            except Exception as e:  # noqa: BLE001 - the dashboard may still be starting
                if reads["dashboard"]:
                    errors.append(f"dashboard: {e}")

    reader = threading.Thread(target=read_all_along)
    reader.start()
    try:
        results = [(d.wait(timeout=400), *d.communicate()) for d in drivers]
    finally:
        done.set()
        reader.join()
        dashboard.terminate()
        dashboard.wait(timeout=30)
    for code, out, err in results:
        assert code == 0 and "Traceback" not in err, err[-3000:]
        assert [c["cycle"] for c in json.loads(out)] == [0]
    assert errors == []
    assert reads["status"] >= 2 and reads["dashboard"] >= 1, reads

    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as c:
        q = lambda sql: c.execute(sa.text(sql)).all()  # noqa: E731
        # every driver's every grid point: 8 studies x 1 cycle x 2 points, once each
        per_study = q(
            "select s.name, count(t.id), count(distinct t.run_id) from scyc_trials t "
            "join scyc_cycles c on c.id = t.cycle_id join scyc_studies s on s.id = c.study_id "
            "group by s.name order by s.name"
        )
        assert per_study == [(f"driver-{i}", 2, 2) for i in range(N)]
        assert q("select count(*) from scyc_cycles where best_run_id is not null") == [(N,)]
        mirrored = q("select count(*) from trials")
        assert mirrored == [(2 * N,)]
        assert q("select count(*) from scyc_leases") == [(0,)]
    engine.dispose()
