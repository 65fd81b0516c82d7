"""A pool of values gathered batch by batch, subsampled to at most ``max_values`` in all."""

from __future__ import annotations

import numpy as np
import torch
from torch import Tensor


class Pool:
    """Collects one flat tensor per batch as float64 numpy, keeping the true count.

    Every batch is assumed to hold the same number of values, n. When ``num_batches * n``
    exceeds ``max_values``, batch b keeps a uniform random subset (without replacement, in
    original order) of ``max_values // num_batches`` values, plus one for the first
    ``max_values % num_batches`` batches: ``max_values`` values in all, equally from each batch.
    ``rng`` decides which, so a fixed seed gives a fixed subsample.
    """

    def __init__(self, num_batches: int, max_values: int, rng: np.random.Generator) -> None:
        if num_batches < 1:
            raise ValueError(f"num_batches must be >= 1, got {num_batches}")
        if max_values < 1:
            raise ValueError(f"max_values must be >= 1, got {max_values}")
        self.num_batches = num_batches
        self.max_values = max_values
        self.rng = rng
        self.count = 0
        self._chunks: list[np.ndarray] = []

    def add(self, values: Tensor) -> None:
        """Add the next batch's values (any shape; flattened)."""
        values = values.detach().reshape(-1)
        n = values.numel()
        b = len(self._chunks)
        self.count += n
        if n * self.num_batches > self.max_values:
            quota = self.max_values // self.num_batches
            quota += int(b < self.max_values % self.num_batches)
            keep = np.sort(self.rng.choice(n, size=min(quota, n), replace=False))
            values = values[torch.from_numpy(keep).to(values.device)]
        self._chunks.append(values.to("cpu", torch.float64).numpy())

    def array(self) -> np.ndarray:
        """All kept values, batch after batch (1-D float64)."""
        if not self._chunks:
            return np.empty(0, dtype=np.float64)
        return np.concatenate(self._chunks)
