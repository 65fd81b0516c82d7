"""Accuracy of a model on one split."""

from __future__ import annotations

import torch

from scyc_tune.data import Split, Splits
from scyc_tune.engine.numerics import layout
from scyc_tune.study.specs import TrainingSpec


@torch.no_grad()
def accuracy(
    model: torch.nn.Module,
    split: Split,
    splits: Splits,
    device: torch.device,
    training: TrainingSpec | None = None,
    batch_size: int = 1024,
) -> float:
    """Fraction of ``split`` classified correctly (model in eval mode, no augmentation), its
    inputs in ``training``'s memory format. ``model`` may be the compiled wrapper of a module:
    its ``train``/``eval`` reach the module."""
    was_training = model.training
    model.eval()
    correct = 0
    for start in range(0, len(split.y), batch_size):
        x = splits.transform(split.x[start : start + batch_size].to(device), train=False)
        if training is not None:
            x = layout(x, training)
        y = split.y[start : start + batch_size].to(device)
        correct += (model(x).argmax(dim=1) == y).sum().item()
    model.train(was_training)
    return correct / max(1, len(split.y))
