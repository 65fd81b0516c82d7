"""The comparison's trials: a run is a chain, a row's per-cycle schedules with one seed, from
the initialisation. One Ray Tune trial advances a population of chains (``[compare]
population`` of them, default: spread over Ray's trial slots) in lock step, cycle by cycle:
cycle m of every chain trained as one population, each chain then pruned by its own mask."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scyc_tune.runs.population import Member
from scyc_tune.runs.trainable import TrialWork
from scyc_tune.schedules import ScheduleParams
from scyc_tune.study import Study


@dataclass(frozen=True)
class Chain:
    seed: int
    schedules: tuple[ScheduleParams, ...]


@dataclass(frozen=True)
class ChainPlan:
    study: Study
    chains: dict[str, Chain]  # chain key -> its run
    populations: dict[str, list[str]]  # trial key -> the keys of the chains it advances

    def work(self, config: dict[str, Any]) -> TrialWork:
        key = config["key"]
        chains = [(k, self.chains[k]) for k in self.populations[key]]
        cycles = len(chains[0][1].schedules)
        if any(len(c.schedules) != cycles for _, c in chains):
            raise ValueError(f"the chains of population {key} differ in length")
        return TrialWork(
            key=key,
            study=self.study,
            cycles=range(cycles),
            populations=[
                [Member(k, c.schedules[m], seed=c.seed) for k, c in chains] for m in range(cycles)
            ],  # fmt: skip
        )


def chain_key(seed: int, schedules: Sequence[ScheduleParams]) -> str:
    """Runs with equal seeds and schedules (LR-warmup-2 tuned to LR-warmup-1's max_lr, say)
    are one chain, trained once."""
    import hashlib
    import json

    spec = json.dumps({"seed": seed, "schedules": [s.model_dump(mode="json") for s in schedules]})
    return hashlib.sha256(spec.encode()).hexdigest()[:16]
