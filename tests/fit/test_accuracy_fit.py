"""fit --mode accuracy end to end on Ray Tune (digits): paper parameters first, a pruned trial,
reused cycles, and recovery of a trial left RUNNING by a killed process."""

import json
import os
import subprocess
import sys

import optuna
import pytest
from optuna.trial import TrialState

pytestmark = pytest.mark.e2e  # each test drives fits on local Ray (about 100 s in all)

STUDY = """
name = "acc"
seed = 2
schedule = "s-cyc"
[data]
name = "digits"
[model]
name = "fc"
hidden = [32, 32]
[pruning]
method = "global_magnitude"
rate = 0.5
cycles = 3
[training]
iterations = 60
batch_size = 32
eval_every = 20
[schedules.s-cyc]
type = "scyc"
epsilon = 0.05
delta = 0.05
q = 0
beta = 3
b = 10
c = 50
d = "Nil"
[oracle]
grid = [0.02, 0.05, 0.1]
[fit]
epsilon = {low = 0.01, high = 0.1, step = 0.01}
delta = {low = 0.0, high = 0.2, step = 0.05}
pruner = "median"
pruner_startup_trials = 1
pruner_warmup_cycles = 0
max_concurrent = 1
"""
PAPER = {"epsilon": 0.05, "delta": 0.05, "beta": 3.0, "q": 0}


@pytest.fixture
def project(tmp_path):
    (tmp_path / "study.toml").write_text(STUDY)
    return tmp_path


def fit(project, *extra):
    cmd = [sys.executable, "-m", "scyc_tune", "fit", "study.toml", "--mode", "accuracy", "--json"]
    env = {**os.environ, "SCYC_TRAINING_LOG": str(project / "trainings.log")}
    done = subprocess.run(
        [*cmd, *extra], cwd=project, env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def trainings(project):
    path = project / "trainings.log"
    return path.read_text().split() if path.exists() else []


def load(project):
    return optuna.load_study(
        study_name="acc/fit-accuracy", storage=f"sqlite:///{project}/storage/scyc.db"
    )


@pytest.fixture(scope="module")
def paper_alone(tmp_path_factory):
    """The study's fit of one trial (the paper's parameters, enqueued first), run once: the
    population test compares with it, then the reuse test goes on in its project."""
    project = tmp_path_factory.mktemp("alone")
    (project / "study.toml").write_text(STUDY)
    return project, fit(project, "--trials", "1"), load(project).trials[0].intermediate_values


def test_paper_first_then_a_pruned_trial_that_reuses_a_cycle(paper_alone):
    project, first, _ = paper_alone
    assert first["paper"]["number"] == 0 and first["best"]["number"] == 0
    assert {k: first["paper"][k] for k in PAPER} == PAPER
    assert first["cycles_trained_now"] == 3 and first["cycles_reused_now"] == 0
    assert len(trainings(project)) == 3

    # a parameter set with the paper's epsilon (so the same cycle 0, q = 0) and a delta so
    # large that cycle 1 diverges: it must reuse cycle 0 and be pruned after cycle 1
    study = load(project)
    study.enqueue_trial({"epsilon": 0.05, "delta": 1000.0, "beta": 3.0, "q": 0})
    second = fit(project, "--trials", "2")
    assert second["ran_now"] == 1
    assert second["cycles_reused_now"] == 1 and second["cycles_trained_now"] == 1
    assert len(trainings(project)) == 4  # cycle 0 was not trained again
    trials = load(project).trials
    assert [t.state for t in trials] == [TrialState.COMPLETE, TrialState.PRUNED]
    assert trials[0].user_attrs["paper"] is True
    assert sorted(trials[0].intermediate_values) == [0, 1, 2]  # one value per cycle
    assert sorted(trials[1].intermediate_values) == [0, 1]
    assert trials[1].user_attrs["cycles_reused"] == 1 and trials[1].user_attrs["diverged"]
    assert trials[0].value == pytest.approx(trials[0].intermediate_values[2])

    # the fit is saved in the project's storage and the best is never worse than the paper's
    assert second["best"]["value"] >= second["paper"]["value"]
    from scyc_tune.store import OracleDB

    with OracleDB(f"sqlite:///{project}/storage/scyc.db") as db:
        fits = db.fits.of(db.studies.named("acc").id)
    assert fits["accuracy"].params["epsilon"] == second["best"]["epsilon"]
    assert fits["accuracy"].value == pytest.approx(second["best"]["value"])


def test_a_trial_left_running_is_failed_and_retried(project):
    # what a kill -9 mid-trial leaves behind: a trial asked for but never told
    storage = f"sqlite:///{project}/storage/scyc.db"
    (project / "storage").mkdir()
    study = optuna.create_study(
        study_name="acc/fit-accuracy", storage=storage, direction="maximize"
    )
    study.enqueue_trial(PAPER, user_attrs={"paper": True})
    abandoned = study.ask()
    for name, low, high in (("epsilon", 0.01, 0.1), ("delta", 0.0, 0.2), ("beta", 3.0, 6.0)):
        abandoned.suggest_float(name, low, high)
    abandoned.suggest_int("q", 0, 3)
    assert load(project).trials[0].state == TrialState.RUNNING

    out = fit(project, "--trials", "1")
    assert out["recovered"] == [0]
    trials = load(project).trials
    assert [t.state for t in trials] == [TrialState.FAIL, TrialState.COMPLETE]
    assert trials[1].params == trials[0].params == PAPER
    assert trials[1].user_attrs["retry_of"] == 0 and trials[1].user_attrs["paper"]
    assert out["paper"]["number"] == 1


def test_a_population_of_two_trials_trains_their_shared_cycle_once(project, paper_alone):
    """Issue 13: ``[fit] population = 2`` asks two trials at once and walks them in lock step
    in one Ray trial. The two agree on cycle 0 (same epsilon, q = 0), which is trained once;
    each trial's values are the ones it gets alone."""
    text = (project / "study.toml").read_text()
    (project / "study.toml").write_text(text + "population = 2\n")
    (project / "storage").mkdir()
    study = optuna.create_study(
        study_name="acc/fit-accuracy",
        storage=f"sqlite:///{project}/storage/scyc.db",
        direction="maximize",
    )
    study.enqueue_trial(PAPER, user_attrs={"paper": True})
    study.enqueue_trial({"epsilon": 0.05, "delta": 1000.0, "beta": 3.0, "q": 0})
    out = fit(project, "--trials", "2")
    assert out["ran_now"] == 2 and out["paper"]["number"] == 0
    assert len(trainings(project)) == 4  # cycle 0 once for both, then 2 + 1 (it diverges)
    assert out["cycles_trained_now"] == 4 and out["cycles_reused_now"] == 1
    paper, wild = load(project).trials
    assert paper.state == wild.state == TrialState.COMPLETE
    assert wild.user_attrs["diverged"] and sorted(wild.intermediate_values) == [0, 1]
    assert wild.intermediate_values[0] == paper.intermediate_values[0]

    _, single, values = paper_alone  # the paper's trial trained alone
    assert single["paper"]["value"] == out["paper"]["value"]
    assert values == paper.intermediate_values
