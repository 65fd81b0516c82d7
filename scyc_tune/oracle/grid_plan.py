"""The oracle's trials: the grid points of cycle m (times its seeds, ``[oracle] seeds``),
packed into populations (``runs.packing``), each trained in one Ray trial from its seed's start
state of the cycle (that seed's previous winner, pruned)."""

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
    starts: list[CycleState]  # seed index -> the cycle's start state of that seed's chain
    schedules: dict[str, ScheduleParams]  # run id -> the grid point's schedule
    populations: dict[str, list[str]]  # trial key -> its members' run ids
    seeds: dict[str, tuple[int, int]]  # run id -> (its seed, its seed's index in starts)

    def work(self, config: dict[str, Any]) -> TrialWork:
        key = config["key"]
        rids = self.populations[key]
        return TrialWork(
            key=key,
            study=self.study,
            cycles=range(self.cycle, self.cycle + 1),
            populations=[
                [Member(rid, self.schedules[rid], rid, seed=self.seeds[rid][0]) for rid in rids]
            ],
            starts=[self.starts[self.seeds[rid][1]] for rid in rids],
            progress=len(rids) == 1,  # ASHA sees a lone point's evaluations
        )
