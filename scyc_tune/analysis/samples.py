"""Samples of the two distributions the S-Cyc paper plots (Sec. 3, Fig. 1): the loss gradients
of the surviving weights, and the hidden representations (post-activation outputs).

Both are taken on ``num_batches`` fixed training batches, drawn with a generator seeded from
the study seed only (``derive_seed(seed, "distribution")``), so every cycle is measured on the
same examples, without augmentation, with the model in eval mode (BatchNorm uses its running
statistics; nothing in the state changes).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from scyc_tune.analysis._pool import Pool
from scyc_tune.analysis._relu_capture import ReluCapture
from scyc_tune.data import load_splits
from scyc_tune.engine.batches import minibatch_indices, take
from scyc_tune.engine.seeds import derive_seed
from scyc_tune.engine.state import CycleState
from scyc_tune.models import build_model
from scyc_tune.pruning import Mask
from scyc_tune.study.specs import DataSpec, ModelSpec

MAX_VALUES = 2_000_000


@dataclass(frozen=True, eq=False)
class Samples:
    """Pooled values (1-D float64), possibly subsampled, and the true counts they stand for.

    grads: dL/dw of every surviving prunable weight (mask == 1), per batch, pooled.
        ``grads_count`` = num_batches x surviving weights.
    hidden: every ReLU output element, per batch, pooled (all >= 0).
        ``hidden_count`` = num_batches x batch x ReLU outputs per example.
    """

    grads: np.ndarray
    hidden: np.ndarray
    grads_count: int
    hidden_count: int


def collect(
    state: CycleState,
    data: DataSpec,
    model: ModelSpec,
    seed: int,
    *,
    batch_size: int,
    num_batches: int,
    max_values: int = MAX_VALUES,
    device: torch.device | str = "cpu",
) -> Samples:
    """Gradients and hidden representations of ``state`` on the fixed training batches.

    Each pool is kept whole up to ``max_values`` values, else subsampled to ``max_values``
    (equally from each batch, by a numpy Generator seeded from ``seed``): same inputs, same
    Samples. The mask is re-applied to the weights before measuring (it is the truth).
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    splits = load_splits(data, seed)
    net = build_model(model, splits.input_shape, splits.num_classes)
    net.load_state_dict(state.weights)
    net.to(device).eval()
    mask = Mask.from_state_dict(state.mask).to(device)
    mask.apply(net)
    params = [net.get_parameter(n) for n in mask.names]
    generator = torch.Generator().manual_seed(derive_seed(seed, "distribution"))
    stream = minibatch_indices(len(splits.train.y), batch_size, generator)
    grads = Pool(num_batches, max_values, _rng(seed, "grads"))
    hidden = Pool(num_batches, max_values, _rng(seed, "hidden"))
    with torch.enable_grad():
        for _ in range(num_batches):
            x, y = take(splits.train, next(stream), torch.device(device))
            with ReluCapture() as capture:
                logits = net(splits.transform(x, train=False))
            loss = F.cross_entropy(logits, y)
            batch_grads = torch.autograd.grad(loss, params, allow_unused=True)
            alive = [
                (g if g is not None else torch.zeros_like(p))[mask[n].bool()]
                for n, p, g in zip(mask.names, params, batch_grads, strict=True)
            ]
            grads.add(torch.cat(alive) if alive else torch.empty(0))
            outputs = capture.outputs
            hidden.add(torch.cat(outputs) if outputs else torch.empty(0))
            del capture, outputs, alive, batch_grads, loss, logits
    return Samples(grads.array(), hidden.array(), grads.count, hidden.count)


def _rng(seed: int, pool: str) -> np.random.Generator:
    return np.random.default_rng(derive_seed(seed, "distribution", "subsample", pool))
