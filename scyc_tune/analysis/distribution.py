"""A summary of one pooled sample (gradients or hidden representations) at one cycle.

Tails are measured against the REFERENCE thresholds: the unpruned network's (cycle 0) |x|
quantiles at ``TAIL_LEVELS``, so the reference's own tail masses are about 0.10, 0.03 and 0.01
by construction, and a pruned network whose distribution narrowed has smaller ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from scyc_tune.analysis.histogram import Histogram, sturges, tail_mass

QUANTILE_LEVELS = (0.5, 0.9, 0.97, 0.99)
TAIL_LEVELS = (0.90, 0.97, 0.99)


@dataclass(frozen=True)
class Distribution:
    """n: the true number of values (the sample summarised may be a subsample of them).
    mean, std: of the values (std with ddof = 0), in the values' units.
    abs_quantiles: quantiles of |x| at ``quantile_levels`` (numpy's linear interpolation).
    histogram: Sturges histogram of the (signed) values.
    thresholds: the reference's |x| quantiles at ``tail_levels``.
    tail: share (fraction) of values with |x| > each of ``thresholds``.
    """

    n: int
    mean: float
    std: float
    quantile_levels: tuple[float, ...]
    abs_quantiles: tuple[float, ...]
    histogram: Histogram
    tail_levels: tuple[float, ...]
    thresholds: tuple[float, ...]
    tail: tuple[float, ...]

    def to_dict(self) -> dict:
        """Plain JSON types (dicts, lists, floats, ints)."""
        return {
            "n": self.n,
            "mean": self.mean,
            "std": self.std,
            "quantile_levels": list(self.quantile_levels),
            "abs_quantiles": list(self.abs_quantiles),
            "histogram": self.histogram.to_dict(),
            "tail_levels": list(self.tail_levels),
            "thresholds": list(self.thresholds),
            "tail": list(self.tail),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Distribution:
        return cls(
            n=int(d["n"]),
            mean=float(d["mean"]),
            std=float(d["std"]),
            quantile_levels=_floats(d["quantile_levels"]),
            abs_quantiles=_floats(d["abs_quantiles"]),
            histogram=Histogram.from_dict(d["histogram"]),
            tail_levels=_floats(d["tail_levels"]),
            thresholds=_floats(d["thresholds"]),
            tail=_floats(d["tail"]),
        )


def summarise(
    values: ArrayLike,
    reference_thresholds: Sequence[float] | None = None,
    *,
    n: int | None = None,
) -> Distribution:
    """Summarise ``values`` (any shape; pooled).

    reference_thresholds: the reference Distribution's ``thresholds`` (one per TAIL_LEVELS);
        None means these values are the reference: their own |x| quantiles are used.
    n: the true count when ``values`` is a subsample (default: ``values.size``).
    """
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    if x.size == 0:
        raise ValueError("cannot summarise no values")
    bad = int(np.count_nonzero(~np.isfinite(x)))
    if bad:
        raise ValueError(f"{bad} of {x.size} values are not finite (nan or inf)")
    if n is not None and n < x.size:
        raise ValueError(f"n = {n} is smaller than the {x.size} values given")
    magnitude = np.abs(x)
    if reference_thresholds is None:
        thresholds = _floats(np.quantile(magnitude, TAIL_LEVELS))
    else:
        thresholds = _floats(reference_thresholds)
        if len(thresholds) != len(TAIL_LEVELS):
            raise ValueError(
                f"reference_thresholds needs one value per tail level {TAIL_LEVELS}, "
                f"got {len(thresholds)}"
            )
    return Distribution(
        n=int(x.size if n is None else n),
        mean=float(x.mean()),
        std=float(x.std()),
        quantile_levels=QUANTILE_LEVELS,
        abs_quantiles=_floats(np.quantile(magnitude, QUANTILE_LEVELS)),
        histogram=sturges(x),
        tail_levels=TAIL_LEVELS,
        thresholds=thresholds,
        tail=tail_mass(magnitude, thresholds),
    )


def _floats(values: Sequence[float] | np.ndarray) -> tuple[float, ...]:
    return tuple(float(v) for v in values)
