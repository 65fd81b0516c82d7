"""Which weights die: pure functions from scores and masks to new masks (ShrinkBench style).

`scores` and `masks` map parameter names to tensors of equal shape; masks are bool (True =
alive). The lowest scores are pruned. Only alive weights are candidates, so a new mask is
always a subset of the old one and masks nest across cycles. Nothing here sees a model.

Tie-break (deterministic): among equal scores, the weight that comes first in the order of
`masks` (parameter order), then by flat (row-major) index, is pruned first -- the same result
as a stable sort of the alive scores. NaN scores are an error.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import torch
from torch import Tensor


def num_to_prune(alive: int, rate: float) -> int:
    """k = floor(rate * alive + 0.5): `rate` (p) of the `alive` weights, rounded half up."""
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"pruning rate must be in [0, 1], got {rate}")
    return min(alive, math.floor(rate * alive + 0.5))


def prune_lowest(
    scores: Mapping[str, Tensor], masks: Mapping[str, Tensor], k: int
) -> dict[str, Tensor]:
    """New masks with exactly the `k` lowest-scoring alive weights removed (see tie-break)."""
    names = list(masks)
    alive = sum(int(masks[n].sum()) for n in names)
    if not 0 <= k <= alive:
        raise ValueError(f"cannot prune {k} weights: {alive} are alive")
    if k == 0:
        return {n: masks[n].clone() for n in names}
    for n in names:
        if scores[n].shape != masks[n].shape:
            raise ValueError(
                f"scores[{n!r}] has shape {tuple(scores[n].shape)}, "
                f"mask has {tuple(masks[n].shape)}"
            )
    dtype = torch.float64 if any(scores[n].dtype == torch.float64 for n in names) else torch.float32
    flat = {n: scores[n].detach().to(dtype).flatten() for n in names}
    alive_flat = {n: masks[n].flatten() for n in names}
    values = torch.cat([flat[n][alive_flat[n]] for n in names])
    if bool(torch.isnan(values).any()):
        raise ValueError("pruning scores contain NaN for alive weights")
    threshold = torch.kthvalue(values, k).values  # the k-th smallest alive score

    below = {n: alive_flat[n] & (flat[n] < threshold) for n in names}
    ties_left = k - sum(int(b.sum()) for b in below.values())
    new = {}
    for n in names:
        dead = below[n]
        if ties_left > 0:
            tie = alive_flat[n] & (flat[n] == threshold)
            count = int(tie.sum())
            if count > ties_left:  # only the first `ties_left` ties, by flat index
                tie = tie & (tie.cumsum(0) <= ties_left)
                count = ties_left
            dead = dead | tie
            ties_left -= count
        new[n] = (alive_flat[n] & ~dead).view_as(masks[n])
    return new


def prune_global(
    scores: Mapping[str, Tensor], masks: Mapping[str, Tensor], rate: float
) -> dict[str, Tensor]:
    """Remove k = floor(rate * alive + 0.5) weights, lowest scores anywhere in the network."""
    alive = sum(int(m.sum()) for m in masks.values())
    return prune_lowest(scores, masks, num_to_prune(alive, rate))


def prune_per_layer(
    scores: Mapping[str, Tensor], masks: Mapping[str, Tensor], rate: float
) -> dict[str, Tensor]:
    """Remove k_l = floor(rate * alive_l + 0.5) weights from each tensor l separately."""
    return {
        n: prune_lowest({n: scores[n]}, {n: m}, num_to_prune(int(m.sum()), rate))[n]
        for n, m in masks.items()
    }
