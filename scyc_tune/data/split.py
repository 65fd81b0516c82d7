"""The S-Cyc paper's random 60 / 20 / 20 split of a pooled dataset (other fractions with
``[data] split``; the exact arithmetic is ``study.specs.split_sizes``).

For ``n`` examples: ``n_train = floor(0.6 n)``, ``n_val = floor(0.2 n)``, ``n_test = n - n_train
- n_val`` (computed in integers: ``6 n // 10`` and ``2 n // 10``). One permutation of the pooled
indices, from ``torch.Generator().manual_seed(seed)``, does both jobs: its first ``num_samples``
entries (all when None) are kept, and of those the first ``n_train`` are the training set, the
next ``n_val`` the validation set, the rest the test set.
"""

from __future__ import annotations

import torch

from scyc_tune.errors import DatasetError
from scyc_tune.study.specs import PAPER_SPLIT, split_sizes

__all__ = ["MIN_SAMPLES", "split_indices", "split_sizes"]

MIN_SAMPLES = 5  # the smallest n with a non-empty validation split


def split_indices(
    n_pooled: int,
    seed: int,
    num_samples: int | None = None,
    *,
    name: str = "the dataset",
    split: tuple[float, float] = PAPER_SPLIT,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Indices into the pooled dataset of the train, validation and test examples."""
    n = n_pooled if num_samples is None else num_samples
    if n > n_pooled:
        raise DatasetError(
            f"data.num_samples = {num_samples} exceeds the {n_pooled} examples of {name}; "
            "lower it or leave it unset"
        )
    if n < MIN_SAMPLES:
        raise DatasetError(
            f"{name} has {n} examples to split; at least {MIN_SAMPLES} are needed for a "
            "non-empty validation split"
        )
    order = torch.randperm(n_pooled, generator=torch.Generator().manual_seed(seed))[:n]
    n_train, n_val, _ = split_sizes(n, split)
    return order[:n_train], order[n_train : n_train + n_val], order[n_train + n_val :]
