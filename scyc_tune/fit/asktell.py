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
    """Asks ``study`` for up to ``n_trials`` trials, ``population`` at a time for one Tune trial
    (one population per cycle); ``sample(trial)`` draws their parameters.

    Tune config of a trial: ``{"members": [{"params": {...}, "number": n}, ...]}``; a member
    reports under the key ``trial n``. A member is told as soon as its outcome is known: its
    chain's score (COMPLETE), the pruner's verdict (PRUNED), or the end of its Tune trial
    without a score (FAIL). A Tune trial is stopped once every member in it has been told.
    ``on_told(trial, reports)`` is called after each tell, in the driver.
    """

    def __init__(
        self,
        study: optuna.Study,
        sample: Callable[[optuna.Trial], dict],
        n_trials: int,
        on_told: Callable[[optuna.trial.FrozenTrial, list[dict]], None] | None = None,
        on_report: Callable[[dict], None] | None = None,
        population: int = 1,
    ) -> None:
        # every report carries val_acc (Tune checks the metric); the score is told at the end
        super().__init__(metric="val_acc", mode="max")
        self.study = study
        self.sample = sample
        self.remaining = n_trials
        self.population = max(1, population)
        self.on_told = on_told
        self.on_report = on_report
        self.live: dict[str, dict[str, optuna.Trial]] = {}  # Tune trial -> member key -> trial
        self.reports: dict[str, list[dict]] = {}  # member key -> its cycles
        self.errors: dict[str, str] = {}  # member key -> why it failed

    def __getstate__(self) -> dict:
        # Tune checkpoints its search algorithm; this one's state is the Optuna study itself.
        return {}

    def save(self, checkpoint_path: str) -> None:
        """Nothing to save: the Optuna storage holds the state (see __getstate__)."""

    def suggest(self, trial_id: str) -> dict | str | None:
        if self.remaining <= 0:
            return Searcher.FINISHED
        k = min(self.population, self.remaining)
        self.remaining -= k
        members, live = [], {}
        for _ in range(k):
            trial = self.study.ask()
            members.append({"params": self.sample(trial), "number": trial.number})
            live[member_key(trial.number)] = trial
            self.reports[member_key(trial.number)] = []
        self.live[trial_id] = live
        return {"members": members}

    def report(self, trial_id: str, result: dict[str, Any]) -> bool:
        """Record one cycle's result of one member as an intermediate value, tell the member
        when its outcome is known; True if the Tune trial should stop (every member told).
        Never pruned at the target sparsity (the last cycle, which is the score); a member that
        diverged before it may be pruned rather than scored at chance level."""
        members = self.live.get(trial_id, {})
        key = result.get("key")
        trial = members.get(key)
        if trial is None or result.get("kind") != "member":
            return False
        if result["status"] in ("failed", "fault"):
            self.errors[key] = str(result.get("failed") or result["status"])
            return False
        row = {k: result[k] for k in ("cycle", "val_acc", "max_lr", "lambda", "reused", "diverged")}
        self.reports[key].append(row)
        trial.report(float(result["val_acc"]), step=int(result["cycle"]))
        if self.on_report is not None:
            self.on_report(row)
        if not result.get("last_cycle") and trial.should_prune():
            self._tell(trial_id, key, TrialState.PRUNED)
        elif "score" in result:
            self._tell(trial_id, key, TrialState.COMPLETE, float(result["score"]))
        return not members

    def _tell(self, trial_id: str, key: str, state: TrialState, value: float | None = None):
        trial = self.live[trial_id].pop(key)
        reports = self.reports.pop(key, [])
        trial.set_user_attr("val_acc_per_cycle", [r["val_acc"] for r in reports])
        trial.set_user_attr("max_lr_per_cycle", [r["max_lr"] for r in reports])
        trial.set_user_attr("cycles_reused", sum(bool(r["reused"]) for r in reports))
        trial.set_user_attr("cycles_trained", sum(not r["reused"] for r in reports))
        if any(r["diverged"] for r in reports):
            trial.set_user_attr("diverged", True)
        if key in self.errors:
            trial.set_user_attr("error", self.errors.pop(key))
        frozen = self.study.tell(trial, value, state=state)
        if self.on_told is not None:
            self.on_told(frozen, reports)

    def on_trial_result(self, trial_id: str, result: dict) -> None:
        """Handled by :class:`OptunaPrunerScheduler` (it runs first and may stop the trial)."""

    def on_trial_complete(
        self, trial_id: str, result: dict | None = None, error: bool = False
    ) -> None:
        """Members not told by now ended without a score: FAIL."""
        for key in list(self.live.get(trial_id, {})):
            if key not in self.errors and result and result.get("failed"):
                self.errors[key] = result["failed"]
            self._tell(trial_id, key, TrialState.FAIL)
        self.live.pop(trial_id, None)


def member_key(number: int) -> str:
    """How a trial's member (Optuna trial ``number``) is named in its reports."""
    return f"trial {number}"


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
