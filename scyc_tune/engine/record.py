"""What one trained cycle reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch

from scyc_tune.models import build_model
from scyc_tune.pruning.effective import percent_effective


@dataclass(frozen=True)
class CycleRecord:
    """Metrics of one cycle. Accuracies are fractions in [0, 1].

    val_acc: best validation accuracy over the evaluations of the cycle (the selection metric).
    test_acc: early-stop test accuracy: test accuracy at the evaluation where val_acc was best.
    final_val_acc / final_test_acc: at the end of the cycle (the state carried forward).
    train_loss: mean training loss over the last evaluation window (nan if diverged at once).
    diverged: the loss became NaN/inf; accuracies are then chance level (1 / classes).
    """

    cycle: int
    percent_remaining: float
    max_lr: float
    val_acc: float
    test_acc: float
    final_val_acc: float
    final_test_acc: float
    train_loss: float
    best_iteration: int
    iterations_run: int
    diverged: bool
    wall_time: float
    device: str
    # effective lambda: the alive weights still on an input-to-output path (pruning.effective;
    # below percent_remaining after filter_l1); None in records of earlier versions
    percent_effective: float | None = None

    def to_dict(self) -> dict:
        return asdict(self)


def effective_lambda(job, input_shape: tuple[int, ...], num_classes: int, mask) -> float:
    """``pruning.percent_effective`` of ``mask`` on a fresh network of ``job.model`` (built
    under a forked RNG: the caller's random stream is left as it was)."""
    with torch.random.fork_rng(devices=[]):
        net = build_model(job.model, input_shape, num_classes)
    return percent_effective(net, mask.to("cpu"), input_shape)
