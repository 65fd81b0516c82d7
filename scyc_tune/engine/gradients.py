"""The spread of the surviving weights' gradients, which narrows as a ReLU network is pruned
(the S-Cyc paper's motivation), and the ratio the ``auto`` schedule scales max_lr by.

Statistic, per batch b of a fixed set of training batches (drawn from a seed derived from the
study seed only, so every cycle is measured on the same examples, without augmentation):
the loss gradient g_b of every prunable weight that survives the mask, and

- ``rms``:      s_b = sqrt(mean(g_b ** 2))
- ``quantile``: s_b = the q-quantile of |g_b| (linear interpolation)

The spread is the mean of s_b over the batches. The network is a copy in eval mode (nothing in
the state changes) except, for the ``auto`` schedule's spread (``Spread.batchnorm = "batch"``),
its BatchNorm layers, which normalise by each batch's own statistics as in training: at
initialisation a BN network's running statistics are the identity, and its eval-mode gradients
are far larger than those training sees (87x on ResNet-20), which would inflate s_0.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from scyc_tune.data import Splits, load_splits
from scyc_tune.engine.batches import minibatch_indices, take
from scyc_tune.engine.relu_capture import ReluCapture
from scyc_tune.engine.seeds import derive_seed
from scyc_tune.engine.state import CycleState
from scyc_tune.models import build_model
from scyc_tune.pruning import Mask
from scyc_tune.study.specs import DataSpec, ModelSpec

Statistic = Literal["rms", "quantile"]
SpreadSource = Literal["gradient", "hidden"]
BatchNormMode = Literal["batch", "running"]


def batch_spread(grads: Sequence[Tensor], statistic: Statistic, quantile: float = 0.99) -> float:
    """Spread of one batch's values: ``grads`` holds the gradients of the surviving weights, or
    the hidden representations (any shapes; they are pooled)."""
    flat = torch.cat([g.detach().reshape(-1).double().cpu() for g in grads])
    if flat.numel() == 0:
        raise ValueError("no surviving weights to measure the gradient spread on")
    if statistic == "rms":
        return float(flat.square().mean().sqrt())
    if statistic == "quantile":
        # numpy: torch.quantile refuses inputs over 2**24 elements (a ResNet-50 has 25M weights)
        return float(np.quantile(flat.abs().numpy(), quantile))
    raise ValueError(f"unknown gradient statistic {statistic!r} (allowed: rms, quantile)")


@dataclass(frozen=True, eq=False)
class Probe:
    """A cycle state's network, in eval mode, with its mask, and an endless stream of fixed
    training batches: (inputs transformed without augmentation, labels), on the model's device.
    Made by `load_probe`."""

    net: nn.Module
    mask: Mask
    batches: Iterator[tuple[Tensor, Tensor]]

    def surviving_gradients(self, logits: Tensor, y: Tensor) -> list[Tensor]:
        """The gradient of the mean cross-entropy of ``logits`` against ``y`` restricted to the
        prunable weights that survive the mask, one flat tensor per mask entry (zeros for a
        weight that does not affect the loss)."""
        params = [self.net.get_parameter(n) for n in self.mask.names]
        loss = F.cross_entropy(logits, y)
        grads = torch.autograd.grad(loss, params, allow_unused=True)
        return [
            (g if g is not None else torch.zeros_like(p))[self.mask[n].bool()]
            for n, p, g in zip(self.mask.names, params, grads, strict=True)
        ]


def load_probe(
    state: CycleState,
    data: DataSpec,
    model: ModelSpec,
    seed: int,
    purpose: str,
    batch_size: int,
    device: torch.device | str,
    batchnorm: BatchNormMode = "running",
) -> Probe:
    """``state`` loaded into its network on ``device``, the batches drawn from a generator
    seeded with ``derive_seed(seed, purpose)``: the same examples for every state. BatchNorm
    uses its running statistics (``"running"``, eval mode) or each batch's (``"batch"``, as in
    training; the copy's running statistics move, the state's do not)."""
    splits = load_splits(data, seed)
    net = build_model(model, splits.input_shape, splits.num_classes)
    net.load_state_dict(state.weights)
    net.to(device).eval()
    if batchnorm == "batch":
        for layer in net.modules():
            if isinstance(layer, nn.modules.batchnorm._BatchNorm):
                layer.train()
    mask = Mask.from_state_dict(state.mask).to(device)
    generator = torch.Generator().manual_seed(derive_seed(seed, purpose))
    stream = minibatch_indices(len(splits.train.y), batch_size, generator)
    return Probe(net, mask, _batches(splits, stream, torch.device(device)))


def _batches(
    splits: Splits, stream: Iterator[Tensor], device: torch.device
) -> Iterator[tuple[Tensor, Tensor]]:
    for idx in stream:
        x, y = take(splits.train, idx, device)
        yield splits.transform(x, train=False), y


@dataclass(frozen=True)
class Spread:
    """How a spread is measured: ``num_batches`` fixed training batches of ``batch_size``,
    each summarised by ``statistic`` (its ``quantile`` for 'quantile'), of the surviving
    weights' loss gradients (``source = "gradient"``) or of the hidden representations
    (``"hidden"``: every ReLU's output in one forward pass, the paper's Fig. 1 (b); Section
    3.2's mechanism, dL/dw_i being proportional to the input x_i of w_i)."""

    batch_size: int
    num_batches: int
    statistic: Statistic = "rms"
    quantile: float = 0.99
    batchnorm: BatchNormMode = "running"
    source: SpreadSource = "gradient"


def gradient_spread(
    state: CycleState,
    data: DataSpec,
    model: ModelSpec,
    seed: int,
    spread: Spread,
    device: torch.device | str = "cpu",
) -> float:
    """The mean over ``spread.num_batches`` fixed training batches of the per-batch spread of
    the gradients of ``state``'s surviving prunable weights."""
    probe = load_probe(
        state, data, model, seed, "gradient-spread", spread.batch_size, device, spread.batchnorm
    )
    spreads = []
    for _ in range(spread.num_batches):
        x, y = next(probe.batches)
        if spread.source == "hidden":
            with torch.no_grad(), ReluCapture() as capture:
                probe.net(x)
            if not capture.outputs:
                raise ValueError("the network runs no ReLU: no hidden representations to measure")
            values = capture.outputs
        elif spread.source == "gradient":
            with torch.enable_grad():
                values = probe.surviving_gradients(probe.net(x), y)
        else:
            raise ValueError(f"unknown spread source {spread.source!r} (allowed: gradient, hidden)")
        spreads.append(batch_spread(values, spread.statistic, spread.quantile))
    return float(np.mean(spreads))


_INITIAL_SPREADS: dict[tuple, float] = {}


def gradient_scale(
    state: CycleState,
    data: DataSpec,
    model: ModelSpec,
    seed: int,
    spread: Spread,
    device: torch.device | str = "cpu",
    reference: CycleState | None = None,
) -> float:
    """s_0 / s_m: the spread of ``reference``'s gradients (default: the unpruned
    initialisation's) over that of ``state`` (1.0 for a cycle-0 state), both measured as
    ``spread`` says. s_0 is measured once per process and data, model, seed, spread, device
    and reference."""
    if state.cycle == 0:
        return 1.0
    from scyc_tune.engine.start import initial_state  # start imports the pruning stack

    which = "init" if reference is None else reference.digest()
    key = (data.model_dump_json(), model.model_dump_json(), seed, spread, str(device), which)
    if key not in _INITIAL_SPREADS:
        start = initial_state(data, model, seed) if reference is None else reference
        _INITIAL_SPREADS[key] = gradient_spread(start, data, model, seed, spread, device)
    s_m = gradient_spread(state, data, model, seed, spread, device)
    if not s_m > 0.0:
        raise ValueError(f"the gradients of cycle {state.cycle}'s start state are all zero")
    return _INITIAL_SPREADS[key] / s_m
