"""Per-weight importance scores read from a model (the lowest are pruned first).

- magnitude: |w|
- gradient:  |w * g|, g = the gradient of the training loss summed over a few batches
- random:    uniform draws from a seeded torch.Generator
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn

Batches = Iterable[tuple[Tensor, Tensor]]
LossFn = Callable[[Tensor, Tensor], Tensor]


def magnitude_scores(model: nn.Module, names: Sequence[str]) -> dict[str, Tensor]:
    """|w| for each named parameter."""
    return {n: model.get_parameter(n).detach().abs() for n in names}


def summed_gradients(
    model: nn.Module,
    names: Sequence[str],
    batches: Batches,
    loss_fn: LossFn | None = None,
    num_batches: int = 1,
) -> dict[str, Tensor]:
    """Gradient of `loss_fn(model(x), y)` w.r.t. each named parameter, summed over the first
    `num_batches` batches of `batches` (fewer if it runs out first; at least one is needed).

    The model runs in eval mode (BatchNorm uses its running statistics and does not update
    them; dropout is off) and is put back in its previous mode afterwards. Gradients come from
    `torch.autograd.grad`, so the parameters' `.grad` fields are left untouched. Inputs are
    moved to the model's device. `loss_fn` defaults to mean cross-entropy.
    """
    loss_fn = loss_fn or F.cross_entropy
    params = [model.get_parameter(n) for n in names]
    device = params[0].device
    totals = [torch.zeros_like(p) for p in params]
    was_training = model.training
    model.eval()
    used = 0
    try:
        with torch.enable_grad():
            for x, y in itertools.islice(batches, num_batches):
                loss = loss_fn(model(x.to(device)), y.to(device))
                grads = torch.autograd.grad(loss, params, allow_unused=True)
                for total, g in zip(totals, grads, strict=True):
                    if g is not None:  # None: the parameter does not affect the loss
                        total += g
                used += 1
    finally:
        model.train(was_training)
    if used == 0:
        raise ValueError("gradient scores need at least one training batch; got none")
    return dict(zip(names, totals, strict=True))


def gradient_scores(model: nn.Module, *args: Any, **kwargs: Any) -> dict[str, Tensor]:
    """|w * g| with g = `summed_gradients(model, *args, **kwargs)` (same arguments and contract)."""
    grads = summed_gradients(model, *args, **kwargs)
    return {n: (model.get_parameter(n).detach() * g).abs() for n, g in grads.items()}


def random_scores(
    shapes: Mapping[str, torch.Size], seed: int, device: torch.device | str = "cpu"
) -> dict[str, Tensor]:
    """Uniform [0, 1) scores drawn in `shapes` order on the CPU from a Generator seeded with
    `seed` (so they are the same on every device), then moved to `device`."""
    gen = torch.Generator().manual_seed(seed)
    return {n: torch.rand(s, generator=gen).to(device) for n, s in shapes.items()}
