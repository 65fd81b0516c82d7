"""The benchmarks' LR tuned on the unpruned network (Section 5.1), and the held-out seeds."""

import os
import subprocess
import sys

import pytest

from scyc_tune.compare.driver import seeds_of
from scyc_tune.compare.tuning import tuned, tuned_labels, tuning_key, tuning_runs
from scyc_tune.errors import StudyError
from scyc_tune.store import CompareRunRow
from scyc_tune.study import parse_study

SHAPE = {"b": 10, "c": 50, "d": "Nil", "e": "Nil"}


def study(compare=None, oracle=None):
    return parse_study(
        {
            "name": "tune",
            "seed": 4,
            "schedule": "warm",
            "data": {"name": "digits"},
            "model": {"name": "fc", "hidden": [8]},
            "pruning": {"method": "global_magnitude", "rate": 0.5, "cycles": 2},
            "training": {"iterations": 60, "batch_size": 32},
            "schedules": {
                "constant": {"type": "constant", "a": 0.01},
                "cyc": {"type": "cyclical", "a": 0, "b": 0.05, "c": 20},
                "warm": {"type": "warmup", "a": 0.03, **SHAPE},
                "one": {"type": "onecycle", "max_lr": 0.1},
            },
            "oracle": {"schedule": "warm", "grid": [0.02, 0.04, 0.08], **(oracle or {})},
            "compare": compare or {},
        }
    )


def row(key, val_acc, diverged=False):
    return CompareRunRow(
        key, "x", 4, 0, "rid", 100.0, 0.1, diverged, val_acc, val_acc, None, 1.0, False, None
    )


def stored(s, accs):
    """Hand-made tuning results: ``accs[label][lr]`` = val_acc, or 'nan' for a diverged run."""
    out = {}
    for run in tuning_runs(s):
        acc = accs.get(run.label, {}).get(run.lr)
        if acc is not None:
            key = tuning_key(s, run)
            out[key] = row(key, 0.1, True) if acc == "nan" else row(key, acc)
    return out


def test_every_constant_decay_cyclical_and_onecycle_row_is_tuned_over_the_oracles_grid():
    s = study()
    assert tuned_labels(s) == ["constant", "cyc", "one"]
    runs = tuning_runs(s)
    assert [(r.label, r.lr) for r in runs][:3] == [
        ("constant", 0.02),
        ("constant", 0.04),
        ("constant", 0.08),
    ]
    assert [r.schedule.b for r in runs if r.label == "cyc"] == [0.02, 0.04, 0.08]  # the upper bound
    assert [r.schedule.max_lr for r in runs if r.label == "one"] == [0.02, 0.04, 0.08]
    assert runs[0].row_label == "constant@0.02"
    assert len({tuning_key(s, r) for r in runs}) == len(runs) == 9
    grid = study({"tune_grid": [0.3, 0.1, 0.1]})
    assert [r.lr for r in tuning_runs(grid) if r.label == "constant"] == [0.1, 0.3]
    assert tuned_labels(study({"tune_benchmarks": False})) == []
    assert tuned_labels(study({"schedules": ["warm", "cyc"]})) == ["cyc"]


def test_the_best_validation_accuracy_wins_the_smallest_lr_on_ties_and_never_a_diverged_one():
    s = study({"schedules": ["constant", "cyc", "one"]})
    out = tuned(
        s,
        stored(
            s,
            {
                "constant": {0.02: 0.5, 0.04: 0.7, 0.08: 0.7},
                "cyc": {0.02: 0.5, 0.04: 0.6, 0.08: "nan"},
                "one": {0.02: 0.9, 0.04: 0.95},  # 0.08 not trained yet
            },
        ),
    )
    assert (out["constant"].lr, out["constant"].done) == (0.04, 3)
    assert out["cyc"].lr == 0.04
    assert (out["one"].lr, out["one"].done, out["one"].total) == (None, 2, 3)
    everything_diverged = tuned(s, stored(s, {"cyc": dict.fromkeys((0.02, 0.04, 0.08), "nan")}))
    assert everything_diverged["cyc"].lr is None and everything_diverged["cyc"].done == 3
    assert "every LR of its tuning grid diverged" in everything_diverged["cyc"].missing_line()


def test_held_out_seeds_follow_the_oracles():
    assert seeds_of(study({"seeds": 2}), None) == (5, 6)  # the oracle trains seed 4
    assert seeds_of(study({"seeds": 2}, {"seeds": 3}), None) == (7, 8)
    assert seeds_of(study({"seeds": 2, "held_out": False}, {"seeds": 3}), None) == (4, 5)
    assert seeds_of(study({"seeds": 2}, {"seeds": 3}), 1) == (7,)


def test_a_tune_grid_with_a_non_positive_lr_is_refused():
    with pytest.raises(StudyError, match="compare.tune_grid"):
        study({"tune_grid": [0.1, 0]})


STUDY = """
name = "tuned"
seed = 3
schedule = "warm"
[data]
name = "digits"
[model]
name = "fc"
hidden = [8]
[pruning]
rate = 0.5
cycles = 2
[training]
iterations = 20
batch_size = 32
eval_every = 10
[schedules.constant]
type = "constant"
a = 0.02
[schedules.warm]
type = "warmup"
a = 0.05
b = 5
c = 15
d = "Nil"
[compare]
schedules = ["constant", "warm"]
oracle_row = false
tuned_warmup = ""
seeds = 1
tune_grid = [0.01, 0.1]
"""


def compare(project, *flags):
    env = {**os.environ, "SCYC_TRAINING_LOG": str(project / "trainings.log")}
    cmd = [sys.executable, "-m", "scyc_tune", "compare", "study.toml", *flags]
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True, timeout=300)


def trainings(project):
    log = project / "trainings.log"
    return log.read_text().split() if log.exists() else []


@pytest.mark.timeout(400)
def test_compare_tunes_first_then_runs_held_out_and_in_sample_reuses_the_tuning(tmp_path):
    (tmp_path / "study.toml").write_text(STUDY)
    first = compare(tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    # 2 tuning runs of cycle 0 at seed 3, then seed 4 (held out): 2 rows x 2 cycles
    assert len(trainings(tmp_path)) == 6 and len(set(trainings(tmp_path))) == 6
    assert "constant LR, tuned (" in first.stdout
    assert "constant@0.01 seed 3" in first.stderr and "constant@0.1 seed 3" in first.stderr
    in_sample = compare(tmp_path, "--set", "compare.held_out=false")
    assert in_sample.returncode == 0, in_sample.stderr[-3000:]
    # the tuning is loaded, not retrained, and at seed 3 the tuned constant row's cycle 0 is
    # its tuning run: 3 new cycles, not 4 (or 6)
    assert len(trainings(tmp_path)) == 9 and len(set(trainings(tmp_path))) == 9
