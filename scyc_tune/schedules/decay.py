"""LR decay (a, b): decay LR linearly from a to 0 over b iterations (0 afterwards)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from scyc_tune.schedules.base import CycleContext, Schedule, ScheduleParams


@dataclass(frozen=True)
class LinearDecaySchedule(Schedule):
    a: float
    b: int

    def lr(self, iteration: int) -> float:
        return self.a * max(0.0, 1.0 - iteration / self.b)

    @property
    def max_lr(self) -> float:
        return self.a


class DecayParams(ScheduleParams):
    family = "decay"
    phase_fields = ("b",)
    max_lr_field = "a"
    type: Literal["decay"] = "decay"
    a: float = Field(2e-2, ge=0, description="initial learning rate")
    b: int = Field(63000, gt=0, description="iterations over which LR decays linearly to 0")

    def build(self, ctx: CycleContext) -> Schedule:
        return LinearDecaySchedule(self.a, self.b)
