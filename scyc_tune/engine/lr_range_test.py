"""Smith's LR range test ("Cyclical Learning Rates for Training Neural Networks", 2017), as
PyTorch Lightning's ``Tuner.lr_find`` and fastai's ``Learner.lr_find`` run it: train a copy of
the cycle's start network for ``steps`` iterations while the LR grows exponentially from
``lr_start`` to ``lr_end``, and read a max_lr off the loss curve.

Each step's loss is smoothed exponentially (``beta = 0.98``, bias-corrected, as both libraries
do); the test stops early once the smoothed loss exceeds ``4 x`` its best (Lightning's
``early_stop_threshold``) or is not finite. The suggestion rules:

- ``steepest`` (Lightning's ``suggestion()``): the LR at the steepest descent of the smoothed
  loss, ``lrs[argmin(np.gradient(loss[10:-1])) + 10]`` (its ``skip_begin = 10``,
  ``skip_end = 1``);
- ``minimum`` (fastai's ``lr_min``): the LR of the lowest smoothed loss, divided by 10.

The copy trains as the cycle would (its optimizer settings, its mask kept through every step,
train mode, augmented batches); the batches come from a generator seeded by the study seed and
the cycle only, so the test is a pure function of the start state, and nothing of it reaches
the cycle's training but the suggested max_lr.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from scyc_tune.data import load_splits
from scyc_tune.engine.batches import Minibatches, take
from scyc_tune.engine.optim import make_optimizer
from scyc_tune.engine.seeds import derive_seed
from scyc_tune.engine.state import CycleState
from scyc_tune.models import build_model
from scyc_tune.pruning import Mask, attach_mask
from scyc_tune.study.specs import DataSpec, ModelSpec, TrainingSpec

BETA = 0.98  # loss smoothing, Lightning's and fastai's
STOP_FACTOR = 4.0  # stop once the smoothed loss exceeds this many times its best
SKIP_BEGIN, SKIP_END = 10, 1  # Lightning's suggestion() skips these points of the curve


@dataclass(frozen=True)
class RangeTest:
    """The LRs tried, the smoothed loss after each, and the suggested max_lr."""

    lrs: tuple[float, ...]
    losses: tuple[float, ...]
    suggestion: float


def exponential_lrs(lr_start: float, lr_end: float, steps: int) -> list[float]:
    """``steps`` LRs from ``lr_start`` to ``lr_end``, equal ratios apart."""
    ratio = lr_end / lr_start
    return [lr_start * ratio ** (i / (steps - 1)) for i in range(steps)]


def suggest(lrs: list[float], losses: list[float], rule: str) -> float:
    """The max_lr the ``rule`` reads off a smoothed loss curve (see the module's docstring).
    ValueError where the curve is too short for it."""
    if rule == "minimum":
        if not losses:
            raise ValueError("the LR range test recorded no finite loss")
        return lrs[int(np.argmin(losses))] / 10.0
    if rule == "steepest":
        curve = losses[SKIP_BEGIN:-SKIP_END]
        if len(curve) < 2:
            raise ValueError(
                f"the LR range test stopped after {len(losses)} steps, too few for the "
                f"steepest-descent rule (it skips the first {SKIP_BEGIN} and the last "
                f"{SKIP_END}): lower lr_start, raise steps, or use rule = 'minimum'"
            )
        return lrs[int(np.argmin(np.gradient(np.asarray(curve)))) + SKIP_BEGIN]
    raise ValueError(f"unknown LR range test rule {rule!r} (allowed: steepest, minimum)")


def lr_range_test(
    state: CycleState,
    data: DataSpec,
    model: ModelSpec,
    training: TrainingSpec,
    seed: int,
    cycle: int,
    *,
    lr_start: float,
    lr_end: float,
    steps: int,
    rule: str,
    device: torch.device | str = "cpu",
) -> RangeTest:
    """Run the test on a copy of ``state``'s network (``state`` is not changed)."""
    splits = load_splits(data, seed)
    rng = torch.get_rng_state()
    torch.manual_seed(derive_seed(seed, cycle, "lr-range-test", "torch"))  # dropout, if any
    try:
        net = build_model(model, splits.input_shape, splits.num_classes)
        net.load_state_dict(state.weights)
        net.to(device).train()
        mask = Mask.from_state_dict(state.mask).to(device)
        optimizer = make_optimizer(training, net.parameters())
        attach_mask(optimizer, net, mask)
        generator = torch.Generator().manual_seed(derive_seed(seed, cycle, "lr-range-test"))
        batches = Minibatches(len(splits.train.y), training.batch_size, generator)
        loss_fn = torch.nn.CrossEntropyLoss()
        tried, smoothed = [], []
        average, best = 0.0, math.inf
        for i, lr in enumerate(exponential_lrs(lr_start, lr_end, steps)):
            for group in optimizer.param_groups:
                group["lr"] = lr
            x, y = take(splits.train, next(batches), torch.device(device))
            x = splits.transform(x, train=True, generator=generator)
            loss = loss_fn(net(x), y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            value = float(loss.detach())
            if not math.isfinite(value):
                break
            average = BETA * average + (1 - BETA) * value
            current = average / (1 - BETA ** (i + 1))
            tried.append(lr)
            smoothed.append(current)
            if i > 0 and current > STOP_FACTOR * best:
                break
            best = min(best, current)
    finally:
        torch.set_rng_state(rng)
    return RangeTest(tuple(tried), tuple(smoothed), suggest(tried, smoothed, rule))
