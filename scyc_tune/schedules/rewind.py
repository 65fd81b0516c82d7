"""LR rewinding (Renda et al. 2020): the original LR warmup schedule replayed in every cycle."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scyc_tune.schedules.base import CycleContext, Schedule
from scyc_tune.schedules.warmup import WarmupShape


class RewindParams(WarmupShape):
    family = "rewind"
    max_lr_field = "a"
    type: Literal["rewind"] = "rewind"
    a: float = Field(3e-2, ge=0, description="max_lr of the original warmup schedule")

    def build(self, ctx: CycleContext) -> Schedule:
        return self.warmup(self.a)
