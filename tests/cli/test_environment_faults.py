"""Faults of the environment end in one line and a non-zero exit, never a traceback: a
database locked past its busy timeout, a full or read-only disk (issue 12, finding 6)."""

import errno
import sqlite3

import pytest

from scyc_tune.cli.main import main


@pytest.fixture
def study(tmp_path, monkeypatch):
    from tests.conftest import PIPELINE_STUDY

    monkeypatch.chdir(tmp_path)
    (tmp_path / "study.toml").write_text(PIPELINE_STUDY)
    return "study.toml"


def one_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


def test_a_database_locked_past_the_busy_timeout_is_one_line(study, tmp_path, monkeypatch, capsys):
    import scyc_tune.store._engine as engine
    from scyc_tune.store import OracleDB

    url = f"sqlite:///{tmp_path / 'scyc.db'}"
    OracleDB(url).close()  # migrated, then locked by another process's open transaction
    holder = sqlite3.connect(tmp_path / "scyc.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    try:
        assert main(["report", study, "--storage", url]) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked" in one_line(capsys)


@pytest.mark.parametrize(
    ("code", "says"),
    [(errno.ENOSPC, "no space left on the device writing"), (errno.EROFS, "read-only file")],
)
def test_a_full_or_read_only_disk_is_one_line(tmp_path, monkeypatch, capsys, code, says):
    """The report of a finished storage (the old-storage fixture), its files unwritable."""
    import shutil
    from pathlib import Path

    import scyc_tune.report.write as write

    shutil.copytree(Path(__file__).parents[1] / "fixtures" / "storage_v0", tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    monkeypatch.delenv("SCYC_STORAGE", raising=False)

    def fails(path, text):
        raise OSError(code, "injected", str(path))

    monkeypatch.setattr(write, "_write", fails)
    assert main(["report", "study.toml"]) == 1
    err = one_line(capsys)
    assert says in err and "table" in err, err
