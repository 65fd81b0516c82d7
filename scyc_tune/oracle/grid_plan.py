"""The oracle's trials: the grid points of cycle m, packed into populations, each trained from
the cycle's shared start state (the previous winner, pruned) in one Ray trial."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scyc_tune.engine import CycleState
from scyc_tune.runs.population import Member
from scyc_tune.runs.trainable import TrialWork
from scyc_tune.schedules import ScheduleParams
from scyc_tune.study import Study


def pack(run_ids: Sequence[str], size: int) -> dict[str, list[str]]:
    """The run ids in populations of at most ``size``, as even as possible, in the given
    order; each named by its first member's run id (a key unique within the cycle)."""
    if not run_ids:
        return {}
    n = math.ceil(len(run_ids) / max(1, size))
    base, extra = divmod(len(run_ids), n)
    out, i = {}, 0
    for j in range(n):
        k = base + (j < extra)
        out[run_ids[i]] = list(run_ids[i : i + k])
        i += k
    return out


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
