"""The in-memory dataset records: a pooled dataset as loaded, and its train/val/test splits.

Storage dtypes: float32 for mnist1d and digits, uint8 (N, C, H, W) for the image sets; labels
int64. The float conversion, normalisation and augmentation happen batch-wise on the training
device (see :class:`~scyc_tune.data.transform.BatchTransform`).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from scyc_tune.data.transform import BatchTransform


def _check(x: torch.Tensor, y: torch.Tensor) -> None:
    if y.dtype != torch.int64 or y.dim() != 1:
        raise ValueError(f"labels must be a 1-D int64 tensor, got {y.dtype} of shape {y.shape}")
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"{x.shape[0]} examples but {y.shape[0]} labels")


@dataclass(frozen=True, eq=False)
class Split:
    """One split, held in memory: x[i] is an example, y[i] its class index."""

    x: torch.Tensor
    y: torch.Tensor

    def __post_init__(self) -> None:
        _check(self.x, self.y)

    def __len__(self) -> int:
        return self.y.shape[0]


@dataclass(frozen=True, eq=False)
class Pooled:
    """A whole dataset before splitting, as a registry loader returns it.

    input_shape: shape of one transformed example. batch_transform: the dataset's normalisation
    constants and full training augmentation (``load_splits`` switches augmentation off when
    ``data.augment`` is false)."""

    x: torch.Tensor
    y: torch.Tensor
    num_classes: int
    input_shape: tuple[int, ...]
    batch_transform: BatchTransform

    def __post_init__(self) -> None:
        _check(self.x, self.y)

    def __len__(self) -> int:
        return self.y.shape[0]


@dataclass(frozen=True, eq=False)
class Splits:
    """The train / validation / test splits of one dataset for one seed."""

    name: str
    train: Split
    val: Split
    test: Split
    num_classes: int
    input_shape: tuple[int, ...]
    batch_transform: BatchTransform = BatchTransform()

    def transform(
        self, x: torch.Tensor, *, train: bool, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        """Batch transform applied by the training loop AFTER moving the batch to its device.

        uint8 -> float32 in [0, 1]; when ``train`` is true and augmentation is on, the dataset's
        standard augmentation (CIFAR-10 / Tiny-ImageNet: random crop with 4-pixel zero padding
        + random horizontal flip; Fashion-MNIST: random crop with padding 2, no flip;
        mnist1d / digits: none); then per-channel normalisation with the dataset's mean/std
        constants. ``train=False`` never augments. Deterministic for a given ``generator`` (a
        CPU generator; the numbers are drawn on the CPU and moved to ``x.device``)."""
        return self.batch_transform(x, train=train, generator=generator)
