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
    return Minibatches(n, batch_size, generator)


class Minibatches:
    """``minibatch_indices``'s stream as an iterator whose position can be saved and restored
    (a mid-cycle checkpoint): the epoch's permutation and the next batch's offset. With the
    generator's state saved beside it, a restored stream continues exactly where it was."""

    def __init__(
        self,
        n: int,
        batch_size: int,
        generator: torch.Generator,
        order: torch.Tensor | None = None,
        position: int = 0,
    ) -> None:
        self.n, self.size, self.generator = n, min(batch_size, n), generator
        self.order, self.position = order, position

    def __iter__(self) -> Minibatches:
        return self

    def __next__(self) -> torch.Tensor:
        if self.order is None or self.position + self.size > self.n:
            self.order = torch.randperm(self.n, generator=self.generator)
            self.position = 0
        batch = self.order[self.position : self.position + self.size]
        self.position += self.size
        return batch

    def state(self) -> dict:
        return {"order": None if self.order is None else self.order.clone(), "at": self.position}

    def restore(self, state: dict) -> None:
        self.order, self.position = state["order"], state["at"]


def take(
    split: Split, idx: torch.Tensor, device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    return split.x[idx].to(device, non_blocking=True), split.y[idx].to(device, non_blocking=True)
