"""Choosing the device a cycle trains on."""

from __future__ import annotations

import torch

from scyc_tune.errors import UsageError


def resolve_device(name: str = "auto") -> torch.device:
    """'auto' = the first CUDA GPU if one is present, else the CPU; otherwise as given."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise UsageError(
            f"unknown device {name!r}; use 'auto', 'cpu', 'cuda' or 'cuda:N'"
        ) from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise UsageError(
            f"device {name!r} asked for, but torch sees no CUDA GPU; use device = 'auto' or 'cpu'"
        )
    return device
