"""MNIST-1D, generated locally (never downloaded) with a fixed generator seed of 42.

The dataset is the same for every run: ``mnist1d.data.make_dataset`` with ``num_samples =
data.mnist1d_samples`` (it makes ``num_samples // 10`` examples per class), pooling its train and
test parts; the run's seed only decides the split. ``make_dataset`` reseeds numpy's and Python's
global RNGs, so their states are saved and restored around it.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import torch

from scyc_tune.data.base import Pooled
from scyc_tune.data.transform import BatchTransform
from scyc_tune.study.specs import DataSpec

GENERATOR_SEED = 42


def generate(num_samples: int) -> tuple[np.ndarray, np.ndarray]:
    """(x, y) of the pooled MNIST-1D set, leaving the global numpy / random RNG states as found."""
    from mnist1d.data import get_dataset_args, make_dataset  # slow import (matplotlib)

    args = get_dataset_args()
    args.num_samples = num_samples
    args.seed = GENERATOR_SEED
    numpy_state, python_state = np.random.get_state(), random.getstate()
    try:
        data = make_dataset(args)
    finally:
        np.random.set_state(numpy_state)
        random.setstate(python_state)
    return np.concatenate([data["x"], data["x_test"]]), np.concatenate([data["y"], data["y_test"]])


def load_mnist1d(spec: DataSpec, root: Path | None = None) -> Pooled:
    """x float32 (N, 40), already standardised by the generator; 10 classes. ``root`` unused."""
    x, y = generate(spec.mnist1d_samples)
    return Pooled(
        x=torch.from_numpy(x).float(),
        y=torch.from_numpy(y).long(),
        num_classes=10,
        input_shape=(x.shape[1],),
        batch_transform=BatchTransform(),
    )
