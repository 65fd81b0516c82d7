"""Minibatches drawn from an in-memory split: reshuffled every epoch by a seeded generator."""

from __future__ import annotations

from collections.abc import Iterator

import torch

from scyc_tune.data import Split


def minibatch_indices(
    n: int, batch_size: int, generator: torch.Generator
) -> Iterator[torch.Tensor]:
    """Endless stream of index batches: a fresh permutation per epoch, the last partial batch of
    each epoch dropped (every batch has exactly ``min(batch_size, n)`` examples)."""
    size = min(batch_size, n)
    while True:
        order = torch.randperm(n, generator=generator)
        for start in range(0, n - size + 1, size):
            yield order[start : start + size]


def take(
    split: Split, idx: torch.Tensor, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    return split.x[idx].to(device, non_blocking=True), split.y[idx].to(device, non_blocking=True)
