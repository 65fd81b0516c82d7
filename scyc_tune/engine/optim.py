"""The optimizer of a cycle, from the study's training settings."""

from __future__ import annotations

from collections.abc import Iterable

import torch

from scyc_tune.study.specs import TrainingSpec


def make_optimizer(
    training: TrainingSpec, params: Iterable[torch.nn.Parameter]
) -> torch.optim.Optimizer:
    """SGD (momentum, weight decay), Adam or RMSprop; the schedule sets the LR per iteration."""
    if training.optimizer == "sgd":
        return torch.optim.SGD(
            params, lr=0.0, momentum=training.momentum, weight_decay=training.weight_decay
        )
    if training.optimizer == "adam":
        return torch.optim.Adam(params, lr=0.0, weight_decay=training.weight_decay)
    return torch.optim.RMSprop(
        params, lr=0.0, momentum=training.momentum, weight_decay=training.weight_decay
    )
