"""``fit --mode accuracy``: the paper's criterion. Each Optuna trial runs iterative pruning with
S-Cyc(epsilon, delta, beta, q) to the study's target sparsity on a Ray Tune worker and is scored
by validation accuracy (the final cycle, or the mean of the last k).

- The Optuna study ``<study>/fit-accuracy`` lives in the project's storage; its trials carry
  the parameters, one intermediate value per cycle (validation accuracy), and user attributes
  (per-cycle max_lr and accuracy, cycles trained and reused).
- The paper's parameters (the study file's S-Cyc schedule) are enqueued as the first trial.
- An Optuna pruner (median or Hyperband) stops poor trials after any cycle (``asktell``).
- Cycles are shared between trials through the run index (``fit.scyc_plan``).
- ``[fit] population`` trials are asked at once and trained in one Ray trial, one population
  per cycle (``asktell``); the pruner's PRUNED is told at once, but the population trains on
  until every member is told.
- Re-running continues the study up to the requested number of finished trials. A trial left
  RUNNING by a killed driver or worker is marked FAIL and its parameters are enqueued again
  (one fit command per study at a time: a RUNNING trial is taken to be abandoned).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import optuna
from optuna.trial import FrozenTrial, TrialState

from scyc_tune.fit.asktell import AskTellSearcher, OptunaPrunerScheduler
from scyc_tune.fit.oracle_fit import fit_study_name
from scyc_tune.fit.scyc_plan import ScycPlan
from scyc_tune.fit.space import paper_params, suggest
from scyc_tune.runs.launch import RayOptions, launch
from scyc_tune.study import Study

FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)


@dataclass
class AccuracyFit:
    study_name: str
    best: FrozenTrial | None
    paper: FrozenTrial | None  # the enqueued paper-parameter trial, once finished
    trials: list[FrozenTrial]
    ran_now: int = 0
    cycles_trained_now: int = 0
    cycles_reused_now: int = 0
    recovered: list[int] = field(default_factory=list)  # stale RUNNING trials failed + retried
    errors: list[str] = field(default_factory=list)  # "trial N: error" for trials that raised


def make_pruner(study: Study, cycles: int) -> optuna.pruners.BasePruner:
    spec = study.fit
    if spec.pruner == "median":
        return optuna.pruners.MedianPruner(
            n_startup_trials=spec.pruner_startup_trials,
            n_warmup_steps=spec.pruner_warmup_cycles,
        )
    if spec.pruner == "hyperband":
        return optuna.pruners.HyperbandPruner(min_resource=1, max_resource=cycles)
    return optuna.pruners.NopPruner()


def recover_abandoned(ostudy: optuna.Study) -> list[int]:
    """Mark trials left RUNNING (their process died without telling) as FAIL and enqueue their
    parameters again. Returns their numbers."""
    numbers = []
    for t in ostudy.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        ostudy.tell(t.number, state=TrialState.FAIL)
        if t.params:
            ostudy.enqueue_trial(t.params, user_attrs={"retry_of": t.number, **_paper(t)})
        numbers.append(t.number)
    return numbers


def _paper(t: FrozenTrial) -> dict:
    return {"paper": True} if t.user_attrs.get("paper") else {}


def fit_accuracy(
    study: Study,
    storage_url: str,
    artifact_dir: str | Path,
    ray: RayOptions,
    n_trials: int,
    on_told: Callable[[FrozenTrial, list[dict]], None] | None = None,
    on_report: Callable[[dict], None] | None = None,
    on_start: Callable[[int, int], None] | None = None,
) -> AccuracyFit:
    """Run (or continue) the accuracy fit until ``n_trials`` trials have finished.

    ``ray.asha`` is ignored: the study's Optuna pruner decides which trials stop early."""
    n_cycles = study.pruning.cycles
    name = fit_study_name(study, "accuracy")
    ostudy = optuna.create_study(
        study_name=name,
        storage=storage_url,
        direction="maximize",
        sampler=_sampler(study.seed),
        pruner=make_pruner(study, n_cycles),
        load_if_exists=True,
    )
    ostudy.set_user_attr("mode", "accuracy")
    ostudy.set_user_attr("cycles", n_cycles)
    recovered = recover_abandoned(ostudy)
    ostudy.enqueue_trial(paper_params(study), user_attrs={"paper": True}, skip_if_exists=True)
    finished = len(ostudy.get_trials(deepcopy=False, states=FINISHED))
    todo = max(0, n_trials - finished)
    if on_start is not None:
        on_start(max(n_trials, finished), finished)
    result = AccuracyFit(name, None, None, [], recovered=recovered)

    def told(frozen: FrozenTrial, reports: list[dict]) -> None:
        result.ran_now += 1
        if frozen.user_attrs.get("error"):
            result.errors.append(f"trial {frozen.number} failed: {frozen.user_attrs['error']}")
        result.cycles_trained_now += sum(not r["reused"] for r in reports)
        result.cycles_reused_now += sum(bool(r["reused"]) for r in reports)
        if on_told is not None:
            on_told(frozen, reports)

    if todo:
        k = study.fit.population
        searcher = AskTellSearcher(
            ostudy, lambda t: suggest(t, study), todo, told, on_report, population=k
        )
        launch(
            name,
            ScycPlan(study, n_cycles, study.fit.last_k),
            artifact_root=artifact_dir,
            options=ray,
            num_samples=-(-todo // k),  # Tune trials of k Optuna trials each
            searcher=searcher,
            scheduler=OptunaPrunerScheduler(searcher),
            # a worker lost mid-trial is retried once; its finished cycles are reused
            max_failures=1,
        )

    trials = ostudy.get_trials(deepcopy=False)
    result.trials = trials
    complete = [t for t in trials if t.state == TrialState.COMPLETE]
    if complete:
        result.best = max(complete, key=lambda t: (t.value, -t.number))
    papers = [t for t in complete if t.user_attrs.get("paper")]
    result.paper = papers[0] if papers else None
    return result


def _sampler(seed: int):
    """TPE with the constant liar, said explicitly: the fit asks for a population of trials at
    once, and the liar keeps those asks apart. Optuna 5 turns it on by default; Optuna 4 has
    it off (and calls the option experimental), which made every parallel ask the same."""
    import warnings

    import optuna

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=True)
