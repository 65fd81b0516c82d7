"""What one trained cycle reports."""

from __future__ import annotations

from dataclasses import asdict, dataclass


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

    def to_dict(self) -> dict:
        return asdict(self)
