"""The Alembic migrations: exact schema, idempotent opening, coexistence with Optuna's tables."""

import io
import sys
import threading

import optuna
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from scyc_tune.errors import ScycError
from scyc_tune.store import OracleDB
from scyc_tune.store._migrate import VERSION_TABLE, alembic_config, current_revision, head_revision
from scyc_tune.store.entries import FitEntry
from scyc_tune.store.tables import Base

COLUMNS = {
    "scyc_studies": {
        "id": False,
        "name": False,
        "content": False,
        "content_hash": False,
        "created_at": False,
    },
    "scyc_cycles": {
        "id": False,
        "study_id": False,
        "cycle": False,
        "percent_remaining": False,
        "start_artifact": False,
        "status": False,
        "well_tuned_max_lr": True,
        "region_min": True,
        "region_max": True,
        "region_values": True,
        "region_contiguous": True,
        "best_run_id": True,
        "updated_at": False,
    },
    "scyc_trials": {
        "id": False,
        "run_id": False,
        "cycle_id": False,
        "max_lr": False,
        "seed": False,
        "status": False,
        "val_acc": True,
        "test_acc": True,
        "final_val_acc": True,
        "train_loss": True,
        "iterations_run": False,
        "wall_time": False,
        "error": True,
        "artifact": True,
        "metrics": True,
        "started_at": False,
        "finished_at": False,
    },
    "scyc_fits": {
        "id": False,
        "study_id": False,
        "mode": False,
        "params": False,
        "value": False,
        "optuna_study": False,
        "trials": False,
        "created_at": False,
    },
    "scyc_compare_runs": {
        "id": False,
        "study_id": False,
        "key": False,
        "row": False,
        "seed": False,
        "cycle": False,
        "run_id": False,
        "percent_remaining": False,
        "max_lr": False,
        "diverged": False,
        "val_acc": False,
        "test_acc": False,
        "train_loss": True,
        "wall_time": False,
        "reused": False,
        "artifact": True,
        "created_at": False,
    },
    "scyc_distributions": {
        "id": False,
        "study_id": False,
        "source": False,
        "cycle": False,
        "kind": False,
        "percent_remaining": False,
        "artifact": False,
        "stats": False,
        "created_at": False,
    },
    "scyc_leases": {
        "id": False,
        "study_id": False,
        "job": False,
        "holder": False,
        "acquired_at": False,
        "renewed_at": False,
    },
}

UNIQUE = {
    "scyc_studies": [("uq_scyc_studies_name", ["name"])],
    "scyc_cycles": [("uq_scyc_cycles_study_id_cycle", ["study_id", "cycle"])],
    "scyc_trials": [("uq_scyc_trials_run_id", ["run_id"])],
    "scyc_fits": [("uq_scyc_fits_study_id_mode", ["study_id", "mode"])],
    "scyc_compare_runs": [("uq_scyc_compare_runs_study_id_key", ["study_id", "key"])],
    "scyc_distributions": [
        (
            "uq_scyc_distributions_study_id_source_cycle_kind",
            ["study_id", "source", "cycle", "kind"],
        )
    ],
    "scyc_leases": [("uq_scyc_leases_study_id_job", ["study_id", "job"])],
}


def version_rows(engine) -> list[str]:
    with engine.connect() as c:
        return list(c.scalars(sa.text(f"SELECT version_num FROM {VERSION_TABLE}")))


def test_head_revision_is_the_leases_one():
    assert head_revision() == "0004"


def test_migrations_create_the_exact_schema(db):
    insp = sa.inspect(db.engine)
    assert set(insp.get_table_names()) == {VERSION_TABLE, *COLUMNS}
    for table, nullable in COLUMNS.items():
        columns = insp.get_columns(table)
        assert {c["name"]: c["nullable"] for c in columns} == nullable, table
        uniques = [(u["name"], u["column_names"]) for u in insp.get_unique_constraints(table)]
        assert uniques == UNIQUE[table]
        assert insp.get_pk_constraint(table)["constrained_columns"] == ["id"]
    lengths = {
        c["name"]: getattr(c["type"], "length", None) for c in insp.get_columns("scyc_trials")
    }
    assert (lengths["run_id"], lengths["status"], lengths["artifact"]) == (64, 16, 64)
    assert [c["name"] for c in insp.get_check_constraints("scyc_cycles")] == [
        "ck_scyc_cycles_status"
    ]
    assert [c["name"] for c in insp.get_check_constraints("scyc_trials")] == [
        "ck_scyc_trials_status"
    ]
    assert [c["name"] for c in insp.get_check_constraints("scyc_fits")] == ["ck_scyc_fits_mode"]
    assert [c["name"] for c in insp.get_check_constraints("scyc_distributions")] == [
        "ck_scyc_distributions_kind"
    ]
    fks = {
        t: [(f["constrained_columns"], f["referred_table"]) for f in insp.get_foreign_keys(t)]
        for t in COLUMNS
    }
    assert fks == {
        "scyc_studies": [],
        "scyc_cycles": [(["study_id"], "scyc_studies")],
        "scyc_trials": [(["cycle_id"], "scyc_cycles")],
        "scyc_fits": [(["study_id"], "scyc_studies")],
        "scyc_compare_runs": [(["study_id"], "scyc_studies")],
        "scyc_distributions": [(["study_id"], "scyc_studies")],
        "scyc_leases": [(["study_id"], "scyc_studies")],
    }

    def indexes(table):  # PostgreSQL also lists a unique constraint's own index
        return [i["name"] for i in insp.get_indexes(table) if "duplicates_constraint" not in i]

    assert indexes("scyc_trials") == ["ix_scyc_trials_cycle_id"]
    assert indexes("scyc_compare_runs") == ["ix_scyc_compare_runs_study_id"]
    assert version_rows(db.engine) == ["0004"]
    with db.engine.connect() as c:
        assert current_revision(c) == head_revision()


def test_orm_models_match_the_migrations(db):
    """A change to tables.py without a new revision fails here."""

    def ours(name, type_, parent_names):
        return type_ != "table" or (name.startswith("scyc_") and name != VERSION_TABLE)

    with db.engine.connect() as c:
        context = MigrationContext.configure(
            c, opts={"include_name": ours, "compare_type": True, "version_table": VERSION_TABLE}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_opening_twice_is_a_no_op(url):
    with OracleDB(url) as first:
        study_id = first.studies.upsert("demo", "name = 'demo'", "a" * 64)
    with OracleDB(url) as second:
        assert version_rows(second.engine) == ["0004"]
        assert [s.id for s in second.studies.all()] == [study_id]


def test_concurrent_first_opens_share_one_migration(tmp_path):
    """Four openers of a new SQLite file at once: one migrates, the others wait and find it done.

    Several rounds, because whether the openers collide depends on timing.
    """
    for round_ in range(8):
        url = f"sqlite:///{tmp_path / f'oracle-{round_}.db'}"
        barrier = threading.Barrier(4)
        errors: list[BaseException] = []

        def open_db(url=url, barrier=barrier, errors=errors):
            barrier.wait()
            try:
                OracleDB(url).close()
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=open_db) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == [], f"round {round_}"
        with OracleDB(url) as db:
            assert version_rows(db.engine) == ["0004"]


def test_relative_sqlite_url_creates_its_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with OracleDB("sqlite:///runs/nested/oracle.db") as db:
        assert db.studies.all() == []
    assert (tmp_path / "runs" / "nested" / "oracle.db").is_file()


def optuna_is_intact(url: str, study_name: str) -> None:
    storage = optuna.storages.RDBStorage(url)
    assert storage.get_current_version() == storage.get_head_version()
    study = optuna.load_study(study_name=study_name, storage=url)
    study.add_trial(
        optuna.trial.create_trial(
            params={"x": 1.0},
            distributions={"x": optuna.distributions.FloatDistribution(0, 2)},
            value=0.5,
        )
    )
    assert [t.value for t in optuna.load_study(study_name=study_name, storage=url).trials] == [0.5]


def test_oracle_tables_join_an_optuna_database(url):
    optuna.create_study(storage=url, study_name="existing")
    with OracleDB(url) as db:
        tables = set(sa.inspect(db.engine).get_table_names())
        assert {"alembic_version", "studies", "trials", VERSION_TABLE} <= tables
        assert version_rows(db.engine) == ["0004"]
    optuna_is_intact(url, "existing")


def test_optuna_joins_an_oracle_database(url):
    with OracleDB(url) as db:
        db.studies.upsert("demo", "", "b" * 64)
    optuna.create_study(storage=url, study_name="later")
    optuna_is_intact(url, "later")
    with OracleDB(url) as db:
        assert version_rows(db.engine) == ["0004"]
        assert [s.name for s in db.studies.all()] == ["demo"]


def test_postgresql_ddl_is_portable():
    """The same migration rendered for PostgreSQL (offline, no server): real zone-aware types."""
    out = io.StringIO()
    config = alembic_config("postgresql://user@localhost/oracle")
    config.output_buffer = out
    command.upgrade(config, "head", sql=True)
    sql = out.getvalue()
    assert "CREATE TABLE scyc_alembic_version" in sql
    assert "CREATE TABLE alembic_version" not in sql
    assert sql.count("TIMESTAMP WITH TIME ZONE NOT NULL") == 9
    assert "seed BIGINT NOT NULL" in sql
    assert "CONSTRAINT ck_scyc_trials_status CHECK" in sql
    assert "CONSTRAINT uq_scyc_cycles_study_id_cycle UNIQUE (study_id, cycle)" in sql
    assert "INSERT INTO scyc_alembic_version (version_num) VALUES ('0001')" in sql
    assert "CONSTRAINT uq_scyc_fits_study_id_mode UNIQUE (study_id, mode)" in sql
    assert "UPDATE scyc_alembic_version SET version_num='0004'" in sql


def test_unreadable_database_is_a_one_line_scyc_error(tmp_path):
    bogus = tmp_path / "not-a-db.db"
    bogus.write_bytes(b"this is not a database file" * 100)
    with pytest.raises(ScycError) as info:
        OracleDB(f"sqlite:///{bogus}")
    message = str(info.value)
    assert "\n" not in message
    assert str(bogus) in message
    assert "not a database" in message


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://oracle:s3cret@localhost:1/oracle",
        "postgres://oracle:s3cret@localhost:1/oracle",
        "postgresql+psycopg://oracle:s3cret@localhost:1/oracle",
    ],
)
def test_a_postgresql_url_without_psycopg_names_the_extra(monkeypatch, url):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg -> ImportError
    with pytest.raises(ScycError) as info:
        OracleDB(url)
    message = str(info.value)
    assert message == (
        "a PostgreSQL URL needs psycopg 3, which is not installed: "
        "pip install 'scyc-tune[postgres]'"
    )
    assert "s3cret" not in message


def test_the_cli_says_which_extra_a_postgresql_url_needs(monkeypatch, capsys):
    from scyc_tune.cli.main import main

    monkeypatch.setitem(sys.modules, "psycopg", None)
    assert main(["status", "--storage", "postgresql://oracle:s3cret@localhost:1/o"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "pip install 'scyc-tune[postgres]'" in err[0], err


def test_a_plain_postgresql_url_gets_psycopg_3():
    from scyc_tune.store._engine import database_url

    assert database_url("postgresql://u@h/d").drivername == "postgresql+psycopg"
    assert database_url("postgres://u@h/d").drivername == "postgresql+psycopg"
    assert database_url("postgresql+pg8000://u@h/d").drivername == "postgresql+pg8000"


def test_a_missing_driver_is_a_scyc_error_without_the_password(monkeypatch):
    monkeypatch.setitem(sys.modules, "pg8000", None)  # a driver we do not install
    with pytest.raises(ScycError, match="driver is not installed") as info:
        OracleDB("postgresql+pg8000://oracle:s3cret@localhost:1/oracle")
    assert "s3cret" not in str(info.value)
    assert "postgresql+pg8000://oracle:***@localhost:1/oracle" in str(info.value)


def test_a_0001_database_is_upgraded_in_place(url):
    """A database made by the first release gains the fits table and keeps its rows."""
    config = alembic_config(url)
    command.upgrade(config, "0001")
    engine = sa.create_engine(url)
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO scyc_studies (name, content, content_hash, created_at) "
                "VALUES ('old', '', :h, '2026-01-01 00:00:00')"
            ),
            {"h": "c" * 64},
        )
    assert version_rows(engine) == ["0001"]
    with OracleDB(url) as db:
        assert version_rows(db.engine) == ["0004"]
        assert [s.name for s in db.studies.all()] == ["old"]
        old_id = db.studies.all()[0].id
        fit = db.fits.save(old_id, FitEntry("oracle", {"epsilon": 0.1}, 3.5, "old/fit-oracle", 9))
        again = db.fits.save(
            fit.study_id, FitEntry("oracle", {"epsilon": 0.2}, 4.5, "old/fit-oracle", 10)
        )
        assert again.id == fit.id and db.fits.of(fit.study_id)["oracle"].params == {"epsilon": 0.2}
        with pytest.raises(ValueError, match="fit mode"):
            db.fits.save(fit.study_id, FitEntry("guess", {}, 0.0, "x", 1))
    engine.dispose()
