"""constant LR (a): keep LR at a over all iterations and pruning cycles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from scyc_tune.schedules.base import CycleContext, Schedule, ScheduleParams


@dataclass(frozen=True)
class ConstantSchedule(Schedule):
    a: float

    def lr(self, iteration: int) -> float:
        return self.a

    @property
    def max_lr(self) -> float:
        return self.a


class ConstantParams(ScheduleParams):
    family = "constant"
    max_lr_field = "a"
    type: Literal["constant"] = "constant"
    a: float = Field(1e-2, ge=0, description="the learning rate")

    def build(self, ctx: CycleContext) -> Schedule:
        return ConstantSchedule(self.a)
