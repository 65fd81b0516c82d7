"""Fine-tuning (Han et al. 2015): the original LR warmup schedule for the unpruned network,
then a constant LR equal to the original schedule's final LR in every pruning cycle.

The final LR is the original schedule's LR at its last iteration,
``original_iterations - 1`` (the length of cycle 0).
"""

from __future__ import annotations

from typing import Literal

from scyc_tune.schedules.base import CycleContext, Schedule
from scyc_tune.schedules.constant import ConstantSchedule
from scyc_tune.schedules.warmup import WarmupPeakShape


class FinetuneParams(WarmupPeakShape):
    family = "finetune"
    needs_iterations = True
    type: Literal["finetune"] = "finetune"

    def build(self, ctx: CycleContext) -> Schedule:
        original = self.warmup(self.a)
        if ctx.cycle == 0:
            return original
        if ctx.original_iterations is None:
            raise ValueError("finetune needs the original schedule's length (iterations)")
        return ConstantSchedule(original.lr(ctx.original_iterations - 1))
