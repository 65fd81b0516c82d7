"""One driver per (study, job): a second is refused in one line; a dead holder's lease is
taken over (at once for a process of this host that is gone, else once it is stale)."""

import os
import subprocess
import sys

import pytest

from scyc_tune.store.repos.leases import StudyBusy


@pytest.fixture
def study_id(db):
    return db.studies.upsert("demo", "name = 'demo'", "f" * 64)


def test_a_second_holder_is_refused_until_the_first_releases(db, url, study_id):
    from scyc_tune.store import OracleDB

    with db.leases.hold(study_id, "oracle"):
        with OracleDB(url) as other:
            with pytest.raises(StudyBusy, match=f"running in process {os.getpid()} on "):
                with other.leases.hold(study_id, "oracle"):
                    pass
            with other.leases.hold(study_id, "compare"):  # another job of the study: fine
                pass
        assert set(db.leases.holders(study_id)) == {"oracle"}
    assert db.leases.holders(study_id) == {}
    with db.leases.hold(study_id, "oracle"):  # released: free again
        pass


def test_the_lease_of_a_dead_process_is_taken_over_at_once(db, study_id):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], text=True,
                          capture_output=True).stdout.strip()  # fmt: skip
    import socket

    db.leases.acquire(study_id, "oracle", f"{socket.gethostname()}:{gone}:dead", 3600)
    with db.leases.hold(study_id, "oracle"):
        assert db.leases.holders(study_id)["oracle"].split(":")[1] == str(os.getpid())


def test_a_stale_lease_of_another_host_is_taken_over(db, study_id):
    db.leases.acquire(study_id, "oracle", "elsewhere:1:abc", 3600)
    with pytest.raises(StudyBusy, match="on elsewhere"):
        db.leases.acquire(study_id, "oracle", "here:2:def", 3600)
    db.leases.acquire(study_id, "oracle", "here:2:def", 0.0)  # stale after 0 s: taken over
    assert db.leases.holders(study_id) == {"oracle": "here:2:def"}


def test_a_second_oracle_driver_is_refused_in_one_line(url, tmp_path, monkeypatch, capsys):
    """Finding 5 of issue 12: two oracle drivers on one study trained every trial twice.
    Refused on SQLite and on PostgreSQL alike."""
    from scyc_tune.cli.main import main
    from scyc_tune.store import OracleDB
    from tests.conftest import PIPELINE_STUDY

    monkeypatch.chdir(tmp_path)
    (tmp_path / "study.toml").write_text(PIPELINE_STUDY)
    with OracleDB(url) as db:
        name = PIPELINE_STUDY.split('name = "', 1)[1].split('"', 1)[0]
        sid = db.studies.upsert(name, PIPELINE_STUDY, "0" * 64)
        with db.leases.hold(sid, "oracle"):
            assert main(["oracle", "study.toml", "--storage", url]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the oracle of this study is running in process" in err[0], err
    assert not (tmp_path / "storage" / "ray").exists()  # refused before any trial started
