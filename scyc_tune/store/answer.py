"""The oracle's answer for one cycle: its grid points with their status, the well-tuned max_lr,
the feasible region and whether it is contiguous. The oracle's region rules
(``oracle.region``) produce it, the database stores it and returns it, and fit, compare and the
report read it; nothing else describes an oracle cycle.

A max_lr is *inside* the answer (``contains``) when the grid point nearest to it in log scale
is feasible: the oracle only knows its grid, so a max_lr between two grid points counts as the
nearer one; beyond the grid's ends a value counts for the end point up to half a grid step out.
Without trained grid points the closed interval [low, high] is used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

_TOL = 1e-12


#: a replicated point takes the first of these statuses any of its runs has
_WORST_FIRST = ("failed", "missing", "stopped", "diverged", "complete")


@dataclass(frozen=True)
class GridPoint:
    max_lr: float
    val_acc: float | None  # fraction in [0, 1], the mean over its seeds; None: no result
    status: str = "complete"  # complete | diverged | failed | stopped | missing
    std: float | None = None  # sample std of val_acc over its seeds (None: one seed)
    n: int = 1  # seeds with a result

    @property
    def eligible(self) -> bool:
        return self.status == "complete" and self.val_acc is not None

    @classmethod
    def of_runs(cls, max_lr: float, runs: Sequence[tuple[float | None, str]]) -> GridPoint:
        """One point from its runs (val_acc, status), one per seed of ``[oracle] seeds``: the
        mean and sample std of their accuracies; its status the worst of theirs (failed,
        missing, stopped, diverged, complete), so a point is eligible only when every seed
        trained it to completion. One run is that run, unchanged."""
        if not runs:
            return cls(max_lr, None, "missing")
        statuses = {status for _, status in runs}
        status = next((s for s in _WORST_FIRST if s in statuses), sorted(statuses)[0])
        accs = [a for a, _ in runs if a is not None]
        if len(runs) == 1:
            return cls(max_lr, runs[0][0], runs[0][1])
        if len(accs) != len(runs):
            return cls(max_lr, None, status, None, len(accs))
        mean = math.fsum(accs) / len(accs)
        std = math.sqrt(math.fsum((a - mean) ** 2 for a in accs) / (len(accs) - 1))
        return cls(max_lr, mean, status, std, len(accs))


@dataclass(frozen=True)
class Region:
    well_tuned: float
    best_val_acc: float
    values: tuple[float, ...]  # feasible max_lr values, ascending
    contiguous: bool  # no grid point (whatever its status) between min and max is left out

    @property
    def low(self) -> float:
        return self.values[0]

    @property
    def high(self) -> float:
        return self.values[-1]


@dataclass(frozen=True)
class OracleAnswer:
    cycle: int
    percent_remaining: float
    points: tuple[GridPoint, ...]  # the cycle's grid, ascending max_lr
    region: Region | None  # None: no point trained to completion (or not finished)
    start_artifact: str | None = None  # the cycle's start state
    best_run_id: str | None = None  # the run whose trained state carries forward
    # effective lambda of the cycle's start (pruning.effective, from the best run's record):
    # below percent_remaining when kernels read removed filters (filter_l1); None: not known
    percent_effective: float | None = None

    @property
    def complete(self) -> bool:
        return self.region is not None

    @property
    def well_tuned(self) -> float:
        return self._region.well_tuned

    @property
    def low(self) -> float:
        return self._region.low

    @property
    def high(self) -> float:
        return self._region.high

    @property
    def contiguous(self) -> bool:
        return self._region.contiguous

    @property
    def trained_grid(self) -> tuple[float, ...]:
        """The max_lr values trained to the end (complete or diverged), ascending."""
        return tuple(sorted({p.max_lr for p in self.points if p.status in _TRAINED}))

    @property
    def _region(self) -> Region:
        if self.region is None:
            raise ValueError(f"oracle cycle {self.cycle} has no region")
        return self.region

    def contains(self, max_lr: float) -> bool:
        grid = self.trained_grid
        if not grid:
            return self.low <= max_lr <= self.high
        if not max_lr > 0:
            return False
        logs = [math.log(g) for g in grid]
        x = math.log(max_lr)
        half_first = (logs[1] - logs[0]) / 2 if len(logs) > 1 else 0.0
        half_last = (logs[-1] - logs[-2]) / 2 if len(logs) > 1 else 0.0
        if x < logs[0] - half_first - _TOL or x > logs[-1] + half_last + _TOL:
            return False
        nearest = min(range(len(logs)), key=lambda i: (abs(logs[i] - x), i))
        return any(math.isclose(grid[nearest], f, rel_tol=1e-9) for f in self._region.values)


_TRAINED = ("complete", "diverged")
