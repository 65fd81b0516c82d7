"""Any :class:`Schedule` as a ``torch.optim.lr_scheduler.LRScheduler`` stepped per iteration."""

from __future__ import annotations

from typing import Any

from torch.optim import Optimizer
from torch.optim.lr_scheduler import LRScheduler

from scyc_tune.schedules.base import Schedule


class ScheduleLR(LRScheduler):
    """Sets every param group's LR to ``schedule.lr(step)``; call ``step()`` once per iteration.

    ``state_dict`` holds only plain values (the step count), so it round-trips through
    ``torch.save`` / ``torch.load(weights_only=True)``; the schedule itself is rebuilt from the
    study file, not pickled.
    """

    def __init__(self, optimizer: Optimizer, schedule: Schedule, last_epoch: int = -1) -> None:
        self.schedule = schedule
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [self.schedule.lr(self.last_epoch) for _ in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        return {k: v for k, v in super().state_dict().items() if k != "schedule"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        schedule = self.schedule
        super().load_state_dict(state_dict)
        self.schedule = schedule
        for group, lr in zip(self.optimizer.param_groups, self.get_lr(), strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]
