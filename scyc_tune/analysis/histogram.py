"""Histograms with Sturges' rule (the S-Cyc paper's Fig. 1) and tail masses."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class Histogram:
    """``counts[i]`` values fall in [edges[i], edges[i + 1]) (the last bin is closed);
    ``len(edges) == len(counts) + 1``."""

    edges: tuple[float, ...]
    counts: tuple[int, ...]

    def to_dict(self) -> dict:
        return {"edges": list(self.edges), "counts": list(self.counts)}

    @classmethod
    def from_dict(cls, d: dict) -> Histogram:
        return cls(tuple(float(e) for e in d["edges"]), tuple(int(c) for c in d["counts"]))


def sturges(values: ArrayLike) -> Histogram:
    """numpy's ``bins="sturges"``: equal-width bins over [min, max], ceil(log2 n) + 1 of them
    for n values (one bin of width 1 around the value when all values are equal)."""
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    if x.size == 0:
        raise ValueError("cannot build a histogram of no values")
    counts, edges = np.histogram(x, bins="sturges")
    return Histogram(tuple(float(e) for e in edges), tuple(int(c) for c in counts))


def tail_mass(abs_values: ArrayLike, thresholds: Sequence[float]) -> tuple[float, ...]:
    """For each threshold t, the share (fraction, not percent) of values with |x| > t."""
    x = np.abs(np.asarray(abs_values, dtype=np.float64).reshape(-1))
    if x.size == 0:
        raise ValueError("cannot take the tail mass of no values")
    return tuple(float(np.count_nonzero(x > t)) / x.size for t in thresholds)
