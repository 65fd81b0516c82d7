"""`scyc-tune run` (oracle, fit, compare, report) end to end on a live PostgreSQL server
(``-m postgres``; the server comes from ``tests/pg_server.py``)."""

import json

import pytest
import sqlalchemy as sa

from tests.conftest import Pipeline

pytestmark = [pytest.mark.postgres, pytest.mark.timeout(900)]


def test_the_whole_run_on_postgresql_then_a_rerun_trains_nothing(tmp_path, postgres_url):
    p = Pipeline(tmp_path, storage=postgres_url)
    assert p.first.returncode == 0, p.first.stderr[-4000:]
    assert not (tmp_path / "storage" / "scyc.db").exists()  # nothing went to SQLite
    html = p.report_dir / "report.html"
    assert html.exists() and "Oracle vs S-Cyc (Tables 3, 7, 8)" in html.read_text()
    trained = len(p.first_trainings)
    engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.connect() as c:
        count = lambda t: c.execute(sa.text(f"select count(*) from {t}")).scalar()  # noqa: E731
        # 3 cycles x 4 grid points, every one a trial row and a mirrored Optuna trial
        assert count("scyc_trials") == 12
        assert count("trials") >= 12
        assert count("scyc_fits") >= 1 and count("scyc_compare_runs") >= 1
        names = {r[0] for r in c.execute(sa.text("select study_name from studies"))}
    engine.dispose()
    assert {"e2e/cycle-1", "e2e/cycle-3"} <= names

    again = p.run("oracle", "study.toml", "--json")
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(p.trainings()) == trained  # every answer read back from PostgreSQL
    assert [c["cycle"] for c in json.loads(again.stdout)] == [0, 1, 2]
