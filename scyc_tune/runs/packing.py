"""Packing a job's work into populations, one Ray trial each: the oracle's grid points of a
cycle, the comparison's chains (rows x seeds, advanced in lock step)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from scyc_tune.runs.launch import RayOptions, slots


def pack(keys: Sequence[str], size: int) -> dict[str, list[str]]:
    """``keys`` in populations of at most ``size``, as even as possible, in the given order;
    each named by its first member's key (unique within the launch)."""
    if not keys:
        return {}
    n = math.ceil(len(keys) / max(1, size))
    base, extra = divmod(len(keys), n)
    out, i = {}, 0
    for j in range(n):
        k = base + (j < extra)
        out[keys[i]] = list(keys[i : i + k])
        i += k
    return out


def population_size(asked: int | None, options: RayOptions, members: int) -> int:
    """The study's ``population`` when set, else ``members`` spread evenly over the trial
    slots Ray has (8 points on 2 CPUs: 2 trials of 4); 1 with ASHA, which stops trials, not
    members."""
    if options.asha:
        return 1
    if asked is not None:
        return asked
    return -(-members // slots(options))
