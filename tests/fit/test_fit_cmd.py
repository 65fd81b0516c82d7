"""`scyc-tune fit --mode oracle` from the command line on a stored synthetic oracle."""

import json
import subprocess
import sys

from scyc_tune.store import OracleDB

STUDY = """
name = "synthetic"
seed = 1
schedule = "s-cyc"
[data]
name = "digits"
[model]
name = "fc"
hidden = [32, 32]
[pruning]
method = "global_magnitude"
rate = 0.5
cycles = 8
[training]
iterations = 60
batch_size = 32
eval_every = 20
[schedules.s-cyc]
type = "scyc"
epsilon = 0.04
delta = 0.05
q = 0
beta = 3
b = 10
c = 50
[oracle]
grid = {start = 0.01, stop = 0.3, count = 30}
[fit]
oracle_trials = 40
"""


def run(tmp, *args):
    return subprocess.run(
        [sys.executable, "-m", "scyc_tune", "fit", *args],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_fit_oracle_json_and_saved_fit(tmp_path, study_factory, oracle_store):
    (tmp_path / "study.toml").write_text(STUDY)
    url = f"sqlite:///{tmp_path / 'storage' / 'scyc.db'}"
    (tmp_path / "storage").mkdir()
    truth = {"epsilon": 0.12, "delta": 0.15, "q": 2, "beta": 4.5}
    oracle_store(url, study_factory(), truth)
    done = run(tmp_path, "study.toml", "--mode", "oracle", "--json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["trials"] == 40 and out["optuna_study"] == "synthetic/fit-oracle"
    assert out["paper"] == {"epsilon": 0.04, "delta": 0.05, "beta": 3.0, "q": 0.0}
    assert out["fitted_inside"] >= out["paper_inside"]
    assert [c["cycle"] for c in out["cycles"]] == list(range(8))
    assert "no auto row" in done.stderr  # the synthetic oracle has no start states on disk
    with OracleDB(url) as db:
        fit = db.fits.of(db.studies.named("synthetic").id)["oracle"]
    assert fit.params["epsilon"] == out["fitted"]["epsilon"] and fit.trials == 40


def test_fit_oracle_without_oracle_and_bad_flags(tmp_path):
    (tmp_path / "study.toml").write_text(STUDY)
    done = run(tmp_path, "study.toml", "--mode", "oracle")
    assert done.returncode == 1 and "run `scyc-tune oracle`" in done.stderr
    done = run(tmp_path, "study.toml", "--mode", "oracle", "--trials", "0")
    assert done.returncode == 2 and "--trials 0" in done.stderr
    (tmp_path / "bad.toml").write_text(STUDY.replace("[fit]", "[fit]\nq = [0, 5]"))
    done = run(tmp_path, "bad.toml", "--mode", "oracle")
    assert done.returncode == 2 and "fit" in done.stderr and "[0, 3]" in done.stderr


def test_paper_parameters_outside_the_ranges_are_one_warning_line(tmp_path, monkeypatch, capsys):
    from scyc_tune.cli.main import main

    (tmp_path / "study.toml").write_text(STUDY.replace("delta = 0.05", "delta = 0.5"))
    monkeypatch.chdir(tmp_path)
    assert main(["fit", "study.toml", "--mode", "oracle"]) == 1  # no oracle stored yet
    warnings = [ln for ln in capsys.readouterr().err.splitlines() if "search ranges" in ln]
    assert warnings == [
        "scyc-tune: warning: study.toml: the study file's S-Cyc parameters lie outside the "
        "search ranges: delta = 0.5 (fit.delta: [0, 0.29]); the first trial is scored with "
        "them anyway"
    ]
