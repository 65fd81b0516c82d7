"""The batch transform run by the training loop on a batch that is already on its device.

Order: uint8 -> float32 in [0, 1] (float inputs pass through unchanged), then the training
augmentation (when asked for), then per-channel normalisation ``(x - mean[c]) / std[c]``.
Augmenting before normalising is what torchvision's ``RandomCrop(padding=p)`` + ``ToTensor`` +
``Normalize`` pipeline does: the padding is black (0), not the channel mean.

Random numbers come only from the given CPU ``generator`` (the global CPU RNG when it is None)
and are drawn on the CPU in a fixed order: crop offsets (rows then columns, one each per image),
then flip decisions, so a seeded generator gives the same result on any device.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F


@dataclass(frozen=True)
class BatchTransform:
    """mean/std: per-channel constants on the [0, 1] scale, or None for no normalisation.
    crop_padding: random crop after zero padding by this many pixels per side (0 = no crop).
    flip: random horizontal flip with probability 1/2."""

    mean: tuple[float, ...] | None = None
    std: tuple[float, ...] | None = None
    crop_padding: int = 0
    flip: bool = False

    def __post_init__(self) -> None:
        if (self.mean is None) != (self.std is None):
            raise ValueError("mean and std must both be given or both be None")
        if self.mean is not None and len(self.mean) != len(self.std):
            raise ValueError(f"mean has {len(self.mean)} channels, std has {len(self.std)}")
        if self.crop_padding < 0:
            raise ValueError(f"crop_padding must be >= 0, got {self.crop_padding}")

    @property
    def augments(self) -> bool:
        return self.crop_padding > 0 or self.flip

    def __call__(
        self, x: torch.Tensor, *, train: bool, generator: torch.Generator | None = None
    ) -> torch.Tensor:
        x = x.float().div(255.0) if x.dtype == torch.uint8 else x.float()
        if train and self.crop_padding > 0:
            x = random_crop(x, self.crop_padding, generator)
        if train and self.flip:
            x = random_flip(x, generator)
        if self.mean is not None:
            shape = (1, -1) + (1,) * (x.dim() - 2)
            mean = torch.tensor(self.mean, dtype=x.dtype, device=x.device).view(shape)
            std = torch.tensor(self.std, dtype=x.dtype, device=x.device).view(shape)
            x = (x - mean) / std
        return x


def random_crop(x: torch.Tensor, padding: int, generator: torch.Generator | None) -> torch.Tensor:
    """Zero-pad each (N, C, H, W) image by ``padding`` and crop H x W at a random offset."""
    n, c, h, w = x.shape
    offsets = torch.randint(0, 2 * padding + 1, (2, n), generator=generator).to(x.device)
    padded = F.pad(x, (padding, padding, padding, padding))
    rows = (offsets[0][:, None] + torch.arange(h, device=x.device))[:, None, :, None]
    cols = (offsets[1][:, None] + torch.arange(w, device=x.device))[:, None, None, :]
    images = torch.arange(n, device=x.device)[:, None, None, None]
    channels = torch.arange(c, device=x.device)[None, :, None, None]
    return padded[images, channels, rows, cols]


def random_flip(x: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    """Mirror each image of an (N, C, H, W) batch left-right with probability 1/2."""
    flip = torch.rand(x.shape[0], generator=generator).lt(0.5).to(x.device)
    return torch.where(flip[:, None, None, None], x.flip(-1), x)
