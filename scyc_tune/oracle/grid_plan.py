"""The oracle's trials: the grid points of cycle m, packed into populations
(``runs.packing``), each trained from the cycle's shared start state (the previous winner,
pruned) in one Ray trial."""

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
    populations: dict[str, list[str]]  # trial key -> its members' run ids

    def work(self, config: dict[str, Any]) -> TrialWork:
        key = config["key"]
        rids = self.populations[key]
        return TrialWork(
            key=key,
            study=self.study,
            cycles=range(self.cycle, self.cycle + 1),
            populations=[[Member(rid, self.schedules[rid], rid) for rid in rids]],
            start=self.start,
            progress=len(rids) == 1,  # ASHA sees a lone point's evaluations
        )
