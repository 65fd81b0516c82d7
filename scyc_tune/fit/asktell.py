"""Optuna in the driver, Ray Tune for the workers: a Tune ``Searcher`` that asks an Optuna
study for each trial's parameters and tells it the outcome, and a Tune scheduler that lets the
study's Optuna pruner stop poor trials after any cycle.

Why not Ray's ``OptunaSearch``: it records trials stopped by a Tune scheduler as COMPLETE with a
truncated value, and it cannot consult an Optuna pruner. Why not Optuna workers sharing the RDB
storage: SQLite, the default, fails under concurrent writers. Here the driver is the only
process that writes the study, and a stopped trial is recorded as PRUNED.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import optuna
from optuna.trial import TrialState
from ray.tune.schedulers import FIFOScheduler, TrialScheduler
from ray.tune.search import Searcher


class AskTellSearcher(Searcher):
    """Asks ``study`` for up to ``n_trials`` trials; ``sample(trial)`` draws their parameters.

    Tune config of a trial: ``{"params": {...}, "number": optuna trial number}``.
    ``on_told(trial, state, value, reports)`` is called after each tell, in the driver.
    """

    def __init__(
        self,
        study: optuna.Study,
        sample: Callable[[optuna.Trial], dict],
        n_trials: int,
        on_told: Callable[[optuna.trial.FrozenTrial, list[dict]], None] | None = None,
        on_report: Callable[[dict], None] | None = None,
    ) -> None:
        # every report carries val_acc (Tune checks the metric); the score is told at the end
        super().__init__(metric="val_acc", mode="max")
        self.study = study
        self.sample = sample
        self.remaining = n_trials
        self.on_told = on_told
        self.on_report = on_report
        self.live: dict[str, optuna.Trial] = {}
        self.reports: dict[str, list[dict]] = {}
        self.pruned: set[str] = set()

    def __getstate__(self) -> dict:
        # Tune checkpoints its search algorithm; this one's state is the Optuna study itself.
        return {}

    def save(self, checkpoint_path: str) -> None:
        """Nothing to save: the Optuna storage holds the state (see __getstate__)."""

    def suggest(self, trial_id: str) -> dict | str | None:
        if self.remaining <= 0:
            return Searcher.FINISHED
        self.remaining -= 1
        trial = self.study.ask()
        params = self.sample(trial)
        self.live[trial_id] = trial
        self.reports[trial_id] = []
        return {"params": params, "number": trial.number}

    def report(self, trial_id: str, result: dict[str, Any]) -> bool:
        """Record one cycle's result as an intermediate value; True if Optuna's pruner says the
        trial should stop. Never at the target sparsity (the last cycle, which is the score);
        a trial that diverged before it may be pruned rather than scored at chance level."""
        trial = self.live.get(trial_id)
        if (
            trial is None
            or result.get("kind") != "member"
            or result["status"] in ("failed", "fault")
        ):
            return False
        row = {k: result[k] for k in ("cycle", "val_acc", "max_lr", "lambda", "reused", "diverged")}
        self.reports[trial_id].append(row)
        trial.report(float(result["val_acc"]), step=int(result["cycle"]))
        if self.on_report is not None:
            self.on_report(row)
        if result.get("last_cycle"):
            return False
        if trial.should_prune():
            self.pruned.add(trial_id)
            return True
        return False

    def on_trial_result(self, trial_id: str, result: dict) -> None:
        """Handled by :class:`OptunaPrunerScheduler` (it runs first and may stop the trial)."""

    def on_trial_complete(
        self, trial_id: str, result: dict | None = None, error: bool = False
    ) -> None:
        trial = self.live.pop(trial_id, None)
        if trial is None:
            return
        reports = self.reports.pop(trial_id, [])
        trial.set_user_attr("val_acc_per_cycle", [r["val_acc"] for r in reports])
        trial.set_user_attr("max_lr_per_cycle", [r["max_lr"] for r in reports])
        trial.set_user_attr("cycles_reused", sum(bool(r["reused"]) for r in reports))
        trial.set_user_attr("cycles_trained", sum(not r["reused"] for r in reports))
        if any(r["diverged"] for r in reports):
            trial.set_user_attr("diverged", True)
        if result and result.get("failed"):
            trial.set_user_attr("error", result["failed"])
        value = None
        if trial_id in self.pruned:
            state = TrialState.PRUNED
        elif error or not result or not result.get("final") or "score" not in result:
            state = TrialState.FAIL
        else:
            state, value = TrialState.COMPLETE, float(result["score"])
        frozen = self.study.tell(trial, value, state=state)
        self.pruned.discard(trial_id)
        if self.on_told is not None:
            self.on_told(frozen, reports)


class OptunaPrunerScheduler(FIFOScheduler):
    """Stops a Tune trial when its Optuna trial should be pruned."""

    def __init__(self, searcher: AskTellSearcher) -> None:
        super().__init__()
        self.searcher = searcher

    def __getstate__(self) -> dict:
        return {}

    def on_trial_result(self, tune_controller, trial, result: dict) -> str:
        if self.searcher.report(trial.trial_id, result):
            return TrialScheduler.STOP
        return TrialScheduler.CONTINUE
