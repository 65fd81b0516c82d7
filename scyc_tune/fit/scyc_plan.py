"""The accuracy fit's trials: one Optuna trial is the chain of cycles 0 .. L-1 with S-Cyc at
the parameters the searcher drew, scored by the mean validation accuracy of its last k cycles;
a Tune trial walks ``[fit] population`` of them in lock step (``config['members']``).

Every cycle is named by its run id with S-Cyc written as the warmup it amounts to at that
cycle (``SCycParams.as_warmup``), so trials with the same max_lr so far and the same seed
share their cycles through the run index (and share them with the oracle's grid points of the
same max_lr and start state).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scyc_tune.fit.asktell import member_key
from scyc_tune.runs.population import Member
from scyc_tune.runs.trainable import TrialWork
from scyc_tune.study import Study
from scyc_tune.study.fit_schedule import with_params


@dataclass(frozen=True)
class ScycPlan:
    study: Study
    cycles: int
    last_k: int

    def work(self, config: dict[str, Any]) -> TrialWork:
        """One chain per member of ``config['members']``, walked in lock step."""
        rate = self.study.pruning.rate
        members = config["members"]
        schedules = [with_params(self.study, m["params"]) for m in members]
        keys = [member_key(m["number"]) for m in members]
        return TrialWork(
            key=keys[0],
            study=self.study,
            cycles=range(self.cycles),
            populations=[
                [Member(k, s.as_warmup(m, rate)) for k, s in zip(keys, schedules, strict=True)]
                for m in range(self.cycles)
            ],
            last_k=self.last_k,
        )
