"""Scaled LR restarting (Le and Hua, ICLR 2021): every cycle replays the original warmup schedule
compressed (or stretched) in time to the cycle's length.

``lr(i) = original.lr(floor(i * original_iterations / iterations))``; the original schedule is
defined over ``original_iterations`` (cycle 0's length). With equal budgets it equals LR rewinding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from scyc_tune.schedules.base import CycleContext, Schedule
from scyc_tune.schedules.warmup import WarmupPeakShape, WarmupSchedule


@dataclass(frozen=True)
class ScaledSchedule(Schedule):
    original: WarmupSchedule
    scale: float

    def lr(self, iteration: int) -> float:
        return self.original.lr(math.floor(iteration * self.scale))

    @property
    def max_lr(self) -> float:
        return self.original.max_lr


class ScaledRestartParams(WarmupPeakShape):
    family = "scaled_restart"
    needs_iterations = True
    type: Literal["scaled_restart"] = "scaled_restart"

    def build(self, ctx: CycleContext) -> Schedule:
        if ctx.iterations is None or ctx.original_iterations is None:
            raise ValueError("scaled_restart needs the cycle's length (iterations)")
        return ScaledSchedule(self.warmup(self.a), ctx.original_iterations / ctx.iterations)
