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

from scyc_tune.analysis._pool import Pool
from scyc_tune.engine.gradients import load_probe
from scyc_tune.engine.relu_capture import ReluCapture
from scyc_tune.engine.seeds import derive_seed
from scyc_tune.engine.state import CycleState
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
    probe = load_probe(state, data, model, seed, "distribution", batch_size, device)
    probe.mask.apply(probe.net)
    grads = Pool(num_batches, max_values, _rng(seed, "grads"))
    hidden = Pool(num_batches, max_values, _rng(seed, "hidden"))
    with torch.enable_grad():
        for _ in range(num_batches):
            x, y = next(probe.batches)
            with ReluCapture() as capture:
                logits = probe.net(x)
            alive = probe.surviving_gradients(logits, y)
            grads.add(torch.cat(alive) if alive else torch.empty(0))
            outputs = capture.outputs
            hidden.add(torch.cat(outputs) if outputs else torch.empty(0))
            del capture, outputs, alive, logits
    return Samples(grads.array(), hidden.array(), grads.count, hidden.count)


def _rng(seed: int, pool: str) -> np.random.Generator:
    return np.random.default_rng(derive_seed(seed, "distribution", "subsample", pool))
