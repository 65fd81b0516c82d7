"""scikit-learn's 8x8 digits (all 1797 images, bundled with scikit-learn: no download)."""

from __future__ import annotations

from pathlib import Path

import torch

from scyc_tune.data.base import Pooled
from scyc_tune.data.transform import BatchTransform
from scyc_tune.study.specs import DataSpec

# pixel mean and std of all 1797 images after scaling to [0, 1]
MEAN, STD = (0.3053,), (0.3760,)


def load_digits(spec: DataSpec, root: Path | None = None) -> Pooled:
    """x float32 (N, 1, 8, 8) in [0, 1] (pixel values 0..16 divided by 16); 10 classes."""
    from sklearn.datasets import load_digits as sklearn_load_digits

    bunch = sklearn_load_digits()
    x = torch.from_numpy(bunch.data).float().div(16.0).reshape(-1, 1, 8, 8)
    return Pooled(
        x=x,
        y=torch.from_numpy(bunch.target).long(),
        num_classes=10,
        input_shape=(1, 8, 8),
        batch_transform=BatchTransform(mean=MEAN, std=STD),
    )
