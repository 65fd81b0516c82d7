"""The accuracy fit's trials: one Optuna trial is the chain of cycles 0 .. L-1 with S-Cyc at
the parameters the searcher drew (``config['params']``), scored by the mean validation
accuracy of its last k cycles.

Every cycle is named by its run id with S-Cyc written as the warmup it amounts to at that
cycle (``as_warmup``), so trials with the same max_lr so far and the same seed share their
cycles through the run index (and share them with the oracle's grid points of the same max_lr
and start state).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scyc_tune.fit.space import with_params
from scyc_tune.runs.population import Member
from scyc_tune.runs.trainable import TrialWork
from scyc_tune.schedules import CycleContext
from scyc_tune.schedules.scyc import SCycParams
from scyc_tune.schedules.warmup import WarmupParams
from scyc_tune.study import Study


def as_warmup(params: SCycParams, cycle: int, pruning_rate: float) -> WarmupParams:
    """S-Cyc at cycle m is LR warmup with max_lr = S-Cyc's max_lr_m and the same shape; naming
    the cycle by that warmup makes its run id depend on max_lr_m only, not on the parameters
    that produced it."""
    a = params.max_lr_at(CycleContext(cycle, pruning_rate))
    return WarmupParams(a=a, **params.model_dump(include={"b", "c", "d", "e"}))


@dataclass(frozen=True)
class ScycPlan:
    study: Study
    cycles: int
    last_k: int

    def work(self, config: dict[str, Any]) -> TrialWork:
        schedule = with_params(self.study, config["params"])
        rate = self.study.pruning.rate
        key = f"trial {config.get('number', '?')}"
        return TrialWork(
            key=key,
            study=self.study,
            cycles=range(self.cycles),
            populations=[[Member(key, as_warmup(schedule, m, rate))] for m in range(self.cycles)],
            last_k=self.last_k,
        )
