"""Choosing the device a cycle trains on."""

from __future__ import annotations

from collections.abc import Sequence

import torch

from scyc_tune.errors import UsageError


def resolve_device(name: str = "auto", assigned: Sequence | None = None) -> torch.device:
    """'auto' = the first CUDA GPU if one is present, else the CPU; otherwise as given.

    ``assigned``: the GPUs a scheduler gave this process (``ray.get_gpu_ids()`` in a Ray
    trial). Then 'auto' is CUDA only if it gave some: Ray sets CUDA_VISIBLE_DEVICES to them,
    so 'cuda' is the trial's own GPU (or its share of one, with a fractional
    ``gpus_per_trial``), and a trial given no GPU trains on the CPU even on a GPU machine."""
    if name == "auto":
        wanted = torch.cuda.is_available() and (assigned is None or len(assigned) > 0)
        return torch.device("cuda" if wanted else "cpu")
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
