"""Whether a per-cycle series rises: Spearman's rank correlation with the cycle, and a
bootstrap interval over the cycles (pure numbers, no study).

The interval resamples the (cycle, value) pairs with replacement; resamples whose cycles or
values are all equal have no rank correlation and are left out (scipy.stats.bootstrap would
make the whole interval NaN then, which is why the resampling is written here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Trend:
    rho: float  # Spearman's rho of value against cycle (NaN when either is constant)
    low: float  # bootstrap interval of rho at ``level`` (NaN when too few resamples count)
    high: float
    n: int  # pairs
    level: float = 0.95

    @property
    def rises(self) -> bool | None:
        """True when the whole interval is above 0, False when below, None when it holds 0."""
        if not np.isfinite(self.low) or not np.isfinite(self.high):
            return None
        if self.low > 0:
            return True
        if self.high < 0:
            return False
        return None


def spearman(x: Sequence[float], y: Sequence[float]) -> float:
    from scipy.stats import spearmanr

    if len(set(x)) < 2 or len(set(y)) < 2:
        return float("nan")
    return float(spearmanr(x, y).statistic)


def trend(
    cycles: Sequence[float],
    values: Sequence[float],
    *,
    resamples: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> Trend:
    """Spearman's rho of ``values`` against ``cycles`` with a percentile bootstrap interval
    (``resamples`` draws from a generator seeded by ``seed``: the same numbers every time)."""
    if len(cycles) != len(values):
        raise ValueError(f"{len(cycles)} cycles for {len(values)} values")
    x, y = np.asarray(cycles, float), np.asarray(values, float)
    rho = spearman(list(x), list(y))
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(resamples):
        i = rng.integers(0, len(x), len(x))
        r = spearman(list(x[i]), list(y[i]))
        if np.isfinite(r):
            draws.append(r)
    if len(draws) < resamples // 2:
        low = high = float("nan")
    else:
        tail = 100 * (1 - level) / 2
        low, high = (float(v) for v in np.percentile(draws, [tail, 100 - tail]))
    return Trend(rho, low, high, len(x), level)
