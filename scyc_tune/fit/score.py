"""How well a per-cycle max_lr curve matches the oracle.

A cycle's max_lr is *inside* when the grid point nearest to it (in log scale) is one of the
oracle's feasible grid values: the oracle only knows its grid, so a max_lr between two grid points
counts as the nearer one (the paper's grids are fine enough for this to equal its interval
[region min, region max]; the demo's factor-sqrt(2) grid is not, and a one-point region would
otherwise never be hit by a continuous curve). Beyond the grid's ends a value counts for the end
point up to half a grid step out. Without the grid (``grid=()``) the closed interval
[low, high] is used. The mean squared log-distance is
``mean_m (ln max_lr_m - ln well_tuned_m) ** 2``.

The single score Optuna maximises is lexicographic: ``inside + 1 / (1 + msld)``. The second
term lies in (0, 1], so one more cycle inside always beats any distance, and among curves with
the same number of cycles inside the closer one wins.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

_TOL = 1e-12


@dataclass(frozen=True)
class OracleCycle:
    """The oracle's answer for cycle m."""

    cycle: int
    percent_remaining: float
    well_tuned: float
    low: float
    high: float
    start_artifact: str | None = None  # the cycle's start state (for the auto schedule's row)
    grid: tuple[float, ...] = ()  # every max_lr the oracle trained, ascending
    feasible: tuple[float, ...] = ()  # the feasible ones

    def contains(self, max_lr: float) -> bool:
        if not self.grid:
            return self.low <= max_lr <= self.high
        if not max_lr > 0:
            return False
        logs = [math.log(g) for g in self.grid]
        x = math.log(max_lr)
        half_first = (logs[1] - logs[0]) / 2 if len(logs) > 1 else 0.0
        half_last = (logs[-1] - logs[-2]) / 2 if len(logs) > 1 else 0.0
        if x < logs[0] - half_first - _TOL or x > logs[-1] + half_last + _TOL:
            return False
        nearest = min(range(len(logs)), key=lambda i: (abs(logs[i] - x), i))
        return any(math.isclose(self.grid[nearest], f, rel_tol=1e-9) for f in self.feasible)


@dataclass(frozen=True)
class Match:
    inside: int
    msld: float

    @property
    def score(self) -> float:
        return self.inside + 1.0 / (1.0 + self.msld)


def match(curve: Sequence[float], oracle: Sequence[OracleCycle]) -> Match:
    """Compare ``curve[i]`` (the schedule's max_lr at oracle[i].cycle) with the oracle."""
    if len(curve) != len(oracle) or not oracle:
        raise ValueError(f"need one max_lr per oracle cycle: {len(curve)} for {len(oracle)}")
    inside = sum(o.contains(v) for v, o in zip(curve, oracle, strict=True))
    msld = sum(
        (math.log(v) - math.log(o.well_tuned)) ** 2 if v > 0 else math.inf
        for v, o in zip(curve, oracle, strict=True)
    ) / len(oracle)
    return Match(inside, msld)
