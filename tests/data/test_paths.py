"""The data-directory rule: data.data_dir, else $SCYC_DATA_DIR, else storage/data."""

from pathlib import Path

from scyc_tune.data.paths import data_dir
from scyc_tune.study.specs import DataSpec


def test_spec_data_dir_wins_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("SCYC_DATA_DIR", str(tmp_path / "env"))
    assert data_dir(DataSpec(data_dir=str(tmp_path / "spec"))) == tmp_path / "spec"


def test_environment_variable_when_no_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("SCYC_DATA_DIR", str(tmp_path / "env"))
    assert data_dir(DataSpec()) == tmp_path / "env"


def test_default_is_storage_data_under_the_current_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SCYC_DATA_DIR", "")
    assert data_dir(DataSpec()) == Path(tmp_path) / "storage" / "data"


def test_relative_and_home_paths_become_absolute(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data_dir(DataSpec(data_dir="rel")) == tmp_path / "rel"
    assert data_dir(DataSpec(data_dir="~/d")) == tmp_path / "home" / "d"
