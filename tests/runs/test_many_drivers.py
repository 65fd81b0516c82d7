"""Eight drivers on eight studies, one PostgreSQL database and one Ray cluster at once, with
the dashboard (its own process) and ``scyc-tune status`` (in the test's process, every 2 s)
reading the database all along (issue 15, items 1 and 2): seven oracles and one whole
``scyc-tune run`` (oracle, fit, compare, gradients, report) of the end-to-end study. Every
driver exits 0, no row is lost, no reader errs, and a rerun of the whole run's oracle on
PostgreSQL trains nothing."""

import json
import os
import subprocess
import sys
import threading
import urllib.request

import pytest
import sqlalchemy as sa

from tests.conftest import PIPELINE_STUDY
from tests.ray_cluster import CLUSTER_STUDY, free_port, start_head, stop_cluster

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(600)]


def study_text(i: int) -> str:
    return CLUSTER_STUDY.format(name=f"driver-{i}", seed=i, iterations=40, eval_every=20,
                                grid=[0.02, 0.05], oracle="max_concurrent = 1")  # fmt: skip


N = 8


@pytest.fixture
def cluster():
    address = start_head(cpus=2)
    yield address
    stop_cluster(address)


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
    oracles = N - 1
    for i in range(oracles):
        (tmp_path / f"study{i}.toml").write_text(study_text(i))
    whole = tmp_path / "whole"
    whole.mkdir()
    (whole / "study.toml").write_text(PIPELINE_STUDY)
    port = free_port()
    dashboard = scyc(tmp_path, "dashboard", "--port", str(port), url=postgres_url, wait=False)
    drivers = [
        scyc(
            tmp_path,
            "oracle",
            f"study{i}.toml",
            "--json",
            "--ray-address",
            cluster,
            url=postgres_url,
            wait=False,
        )
        for i in range(oracles)
    ] + [
        # the end-to-end study, its comparison on one seed and a shorter oracle fit (CI time)
        scyc(
            whole,
            "run",
            "study.toml",
            "--set",
            "compare.seeds=1",
            "--set",
            "fit.oracle_trials=10",
            "--ray-address",
            cluster,
            url=postgres_url,
            wait=False,
        )
    ]
    # fmt: skip
    reads = {"status": 0, "dashboard": 0}
    errors: list[str] = []
    done = threading.Event()

    from scyc_tune.cli.main import main

    def read_all_along():
        while not done.wait(2):  # `scyc-tune status` (in this process) and the dashboard's API
            code = main(["status", "--storage", postgres_url])
            reads["status"] += 1
            if code != 0:
                errors.append(f"status exited {code}")
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
    for code, _out, err in results:
        assert code == 0 and "Traceback" not in err, err[-3000:]
    for _, out, _ in results[:oracles]:
        assert [c["cycle"] for c in json.loads(out)] == [0]
    html = whole / "storage" / "reports" / "e2e" / "report.html"
    assert "Oracle vs S-Cyc (Tables 3, 7, 8)" in html.read_text()
    assert not (whole / "storage" / "scyc.db").exists()  # nothing went to SQLite
    assert errors == []
    assert reads["status"] >= 2 and reads["dashboard"] >= 1, reads

    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as c:
        q = lambda sql: c.execute(sa.text(sql)).all()  # noqa: E731
        # every driver's every grid point, once each: 7 oracles of 1 cycle x 2 points, and the
        # whole run's 3 cycles x 4 points
        per_study = q(
            "select s.name, count(t.id), count(distinct t.run_id) from scyc_trials t "
            "join scyc_cycles c on c.id = t.cycle_id join scyc_studies s on s.id = c.study_id "
            "group by s.name order by s.name"
        )
        want = [(f"driver-{i}", 2, 2) for i in range(oracles)] + [("e2e", 12, 12)]
        assert per_study == want
        assert q("select count(*) from scyc_cycles where best_run_id is not null") == [(10,)]
        cycle_trials = q(
            "select count(*) from trials t join studies s on s.study_id = t.study_id "
            "where s.study_name like '%/cycle-%'"
        )
        assert cycle_trials == [(2 * oracles + 12,)]
        assert q("select count(*) from scyc_fits") >= [(1,)]
        assert q("select count(*) from scyc_compare_runs") >= [(1,)]
        assert q("select count(*) from scyc_leases") == [(0,)]
    engine.dispose()

    # the workers of a `ray start` cluster do not see the driver's $SCYC_TRAINING_LOG: the
    # oracle's own count says that a rerun finds every grid point in PostgreSQL
    again = scyc(whole, "oracle", "study.toml", "--json", "--ray-address", cluster,
                 url=postgres_url)  # fmt: skip
    assert again.returncode == 0, again.stderr[-3000:]
    cycles = json.loads(again.stdout)
    assert [c["cycle"] for c in cycles] == [0, 1, 2]
    assert sum(c["trained_now"] for c in cycles) == 0
