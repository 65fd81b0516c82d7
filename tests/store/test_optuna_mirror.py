"""mirror_trial: every cycle is an Optuna study in the oracle's database."""

import json
import subprocess
import sys

import optuna
import pytest

from scyc_tune.store import OracleDB, mirror_trial
from scyc_tune.store.optuna_mirror import _storage

GRID = [0.01, 0.03, 0.1, 0.3, 1.0]
STUDY = "demo/cycle-3"

LOAD_IN_A_FRESH_PROCESS = """
import json, sys
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
study = optuna.load_study(study_name=sys.argv[2], storage=sys.argv[1])
print(json.dumps({
    "direction": study.direction.name,
    "trials": [
        [t.params, t.value, t.state.name, t.user_attrs,
         [type(d).__name__, d.low, d.high, d.log]]
        for t in study.trials
        for d in [t.distributions["max_lr"]]
    ],
}))
"""


def load_elsewhere(url: str, study_name: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", LOAD_IN_A_FRESH_PROCESS, url, study_name],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout)


def mirror_three(url: str) -> list[bool]:
    return [
        mirror_trial(url, STUDY, GRID, 0.1, 0.875, "complete", {"run_id": "r1", "seed": 7}),
        mirror_trial(url, STUDY, GRID, 0.3, 0.75, "complete", {"run_id": "r2", "seed": 7}),
        mirror_trial(url, STUDY, GRID, 1.0, None, "fail", {"run_id": "r3", "error": "diverged"}),
    ]


def test_a_fresh_process_sees_the_mirrored_trials(url):
    with OracleDB(url):
        pass  # the oracle's tables and Optuna's share the file
    assert mirror_three(url) == [True, True, True]
    seen = load_elsewhere(url, STUDY)
    assert seen["direction"] == "MAXIMIZE"
    log_range = ["FloatDistribution", 0.01, 1.0, True]
    assert seen["trials"] == [
        [{"max_lr": 0.1}, 0.875, "COMPLETE", {"run_id": "r1", "seed": 7}, log_range],
        [{"max_lr": 0.3}, 0.75, "COMPLETE", {"run_id": "r2", "seed": 7}, log_range],
        [{"max_lr": 1.0}, None, "FAIL", {"run_id": "r3", "error": "diverged"}, log_range],
    ]


def test_mirroring_a_run_twice_keeps_one_trial(url):
    mirror_three(url)
    assert mirror_trial(url, STUDY, GRID, 0.1, 0.5, "complete", {"run_id": "r1"}) is False
    assert mirror_trial(url, STUDY, GRID, 1.0, None, "fail", {"run_id": "r3"}) is False
    study = optuna.load_study(study_name=STUDY, storage=url)
    assert [t.user_attrs["run_id"] for t in study.trials] == ["r1", "r2", "r3"]
    assert [t.value for t in study.trials] == [0.875, 0.75, None]


def test_a_failed_run_retried_with_success_shows_both_attempts(url):
    assert mirror_trial(url, STUDY, GRID, 0.3, None, "fail", {"run_id": "r"})
    assert not mirror_trial(url, STUDY, GRID, 0.3, None, "fail", {"run_id": "r"})
    assert mirror_trial(url, STUDY, GRID, 0.3, 0.5, "complete", {"run_id": "r"})
    assert not mirror_trial(url, STUDY, GRID, 0.3, None, "fail", {"run_id": "r"})
    assert not mirror_trial(url, STUDY, GRID, 0.3, 0.25, "complete", {"run_id": "r"})
    assert mirror_trial(url, STUDY, GRID, 0.1, 0.75, "complete", {"run_id": "done-first"})
    assert not mirror_trial(url, STUDY, GRID, 0.1, None, "fail", {"run_id": "done-first"})
    study = optuna.load_study(study_name=STUDY, storage=url)
    assert [(t.state.name, t.value) for t in study.trials] == [
        ("FAIL", None),
        ("COMPLETE", 0.5),
        ("COMPLETE", 0.75),
    ]


def test_cycles_are_separate_studies_and_grids_may_widen(url):
    mirror_trial(url, "demo/cycle-0", GRID, 0.1, 0.5, "complete", {"run_id": "a"})
    mirror_trial(url, "demo/cycle-1", GRID, 0.1, 0.25, "complete", {"run_id": "b"})
    wider = [0.001, *GRID, 3.0]
    assert mirror_trial(url, "demo/cycle-0", wider, 3.0, 0.125, "complete", {"run_id": "c"})
    names = sorted(s.study_name for s in optuna.get_all_study_summaries(url))
    assert names == ["demo/cycle-0", "demo/cycle-1"]
    cycle0 = optuna.load_study(study_name="demo/cycle-0", storage=url)
    assert [(t.params["max_lr"], t.value) for t in cycle0.trials] == [(0.1, 0.5), (3.0, 0.125)]
    assert cycle0.best_trial.user_attrs == {"run_id": "a"}


def test_the_storage_is_created_once_per_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    relative = "sqlite:///runs/oracle.db"
    absolute = f"sqlite:///{tmp_path / 'runs' / 'oracle.db'}"
    assert _storage(relative) is _storage(absolute)
    assert (tmp_path / "runs" / "oracle.db").is_file()


@pytest.mark.parametrize(
    ("value", "state", "attrs", "message"),
    [
        (0.5, "complete", {"seed": 1}, "must carry a 'run_id'"),
        (None, "complete", {"run_id": "x"}, "needs a finite value; got None"),
        (float("nan"), "complete", {"run_id": "x"}, "needs a finite value; got nan"),
        (0.5, "pruned", {"run_id": "x"}, "state 'pruned' is not one of 'complete', 'fail'"),
    ],
)
def test_bad_arguments_are_refused(url, value, state, attrs, message):
    with pytest.raises(ValueError, match=message):
        mirror_trial(url, STUDY, GRID, 0.1, value, state, attrs)
