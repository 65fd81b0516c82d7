"""The oracle's trials: each grid point of cycle m is a one-member population trained from the
cycle's shared start state (the previous winner, pruned)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scyc_tune.engine import CycleState
from scyc_tune.runs.population import Member
from scyc_tune.runs.trainable import TrialWork
from scyc_tune.schedules import ScheduleParams
from scyc_tune.study import Study


@dataclass(frozen=True)
class GridPlan:
    study: Study
    cycle: int
    start: CycleState
    schedules: dict[str, ScheduleParams]  # run id -> the grid point's schedule

    def work(self, config: dict[str, Any]) -> TrialWork:
        rid = config["key"]
        return TrialWork(
            key=rid,
            study=self.study,
            cycles=range(self.cycle, self.cycle + 1),
            populations=[[Member(rid, self.schedules[rid], rid)]],
            start=self.start,
            progress=True,  # ASHA sees the evaluations
        )
