"""The comparison's trials: one Ray Tune trial is one run, a row's per-cycle schedules with one
seed, walked as a chain of one-member populations from the initialisation."""

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

    def work(self, config: dict[str, Any]) -> TrialWork:
        key = config["key"]
        chain = self.chains[key]
        return TrialWork(
            key=key,
            study=self.study.model_copy(update={"seed": chain.seed}),
            cycles=range(len(chain.schedules)),
            populations=[[Member(key, s)] for s in chain.schedules],
        )


def chain_key(seed: int, schedules: Sequence[ScheduleParams]) -> str:
    """Runs with equal seeds and schedules (LR-warmup-2 tuned to LR-warmup-1's max_lr, say)
    are one chain, trained once."""
    import hashlib
    import json

    spec = json.dumps({"seed": seed, "schedules": [s.model_dump(mode="json") for s in schedules]})
    return hashlib.sha256(spec.encode()).hexdigest()[:16]
