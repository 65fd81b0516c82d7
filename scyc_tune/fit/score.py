"""How well a per-cycle max_lr curve matches the oracle.

A cycle's max_lr is *inside* when ``OracleAnswer.contains`` says so (the nearest trained grid
point is feasible: the paper's grids are fine enough for this to equal its interval
[region min, region max]; the demo's factor-sqrt(2) grid is not, and a one-point region would
otherwise never be hit by a continuous curve). The mean squared log-distance is
``mean_m (ln max_lr_m - ln well_tuned_m) ** 2``.

The single score Optuna maximises is lexicographic: ``inside + 1 / (1 + msld)``. The second
term lies in (0, 1], so one more cycle inside always beats any distance, and among curves with
the same number of cycles inside the closer one wins.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scyc_tune.store.answer import OracleAnswer


@dataclass(frozen=True)
class Match:
    inside: int
    msld: float

    @property
    def score(self) -> float:
        return self.inside + 1.0 / (1.0 + self.msld)


def match(curve: Sequence[float], oracle: Sequence[OracleAnswer]) -> Match:
    """Compare ``curve[i]`` (the schedule's max_lr at oracle[i].cycle) with the oracle."""
    if len(curve) != len(oracle) or not oracle:
        raise ValueError(f"need one max_lr per oracle cycle: {len(curve)} for {len(oracle)}")
    inside = sum(o.contains(v) for v, o in zip(curve, oracle, strict=True))
    msld = sum(
        (math.log(v) - math.log(o.well_tuned)) ** 2 if v > 0 else math.inf
        for v, o in zip(curve, oracle, strict=True)
    ) / len(oracle)
    return Match(inside, msld)
