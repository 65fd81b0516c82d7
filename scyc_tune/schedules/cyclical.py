"""cyclical LR (a, b, c): triangular between a and b with a step size of c iterations.

Smith (2017)'s "triangular" policy, the same values as ``torch.optim.lr_scheduler.CyclicLR``
with ``base_lr=a, max_lr=b, step_size_up=c``: LR starts at a, reaches b at iteration c,
returns to a at 2c, and repeats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from scyc_tune.schedules.base import CycleContext, Schedule, ScheduleParams


@dataclass(frozen=True)
class TriangularSchedule(Schedule):
    a: float
    b: float
    c: int

    def lr(self, iteration: int) -> float:
        cycle = math.floor(1 + iteration / (2 * self.c))
        x = abs(iteration / self.c - 2 * cycle + 1)
        return self.a + (self.b - self.a) * max(0.0, 1.0 - x)

    @property
    def max_lr(self) -> float:
        return max(self.a, self.b)


class CyclicalParams(ScheduleParams):
    family = "cyclical"
    phase_fields = ("c",)
    max_lr_field = "b"
    type: Literal["cyclical"] = "cyclical"
    a: float = Field(0.0, ge=0, description="lower bound of the LR")
    b: float = Field(2.5e-2, ge=0, description="upper bound of the LR")
    c: int = Field(8000, gt=0, description="step size: iterations from lower to upper bound")

    def build(self, ctx: CycleContext) -> Schedule:
        return TriangularSchedule(self.a, self.b, self.c)
