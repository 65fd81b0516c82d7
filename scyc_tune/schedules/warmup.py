"""LR warmup (a, b, c, d, e): increase LR linearly from 0 to a over b iterations, 10x drop at
iterations c, d and e (any of them may be absent; the paper writes "Nil").

``lr(i) = a * min(1, i / b) * 0.1 ** (number of drops <= i)``; with b = 0 there is no warmup.
This is the per-cycle shape shared by LR rewinding, S-Cyc and the oracle.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from scyc_tune.schedules.base import CycleContext, Schedule, ScheduleParams


@dataclass(frozen=True)
class WarmupSchedule(Schedule):
    a: float
    b: int
    drops: tuple[int, ...] = ()

    def lr(self, iteration: int) -> float:
        ramp = 1.0 if self.b == 0 else min(1.0, iteration / self.b)
        n_drops = sum(1 for drop in self.drops if iteration >= drop)
        return self.a * ramp * 0.1**n_drops

    @property
    def max_lr(self) -> float:
        return self.a


class WarmupShape(ScheduleParams):
    """The warmup shape without its peak: b, c, d, e (shared by warmup-based families)."""

    phase_fields = ("b", "c", "d", "e")

    b: int = Field(20000, ge=0, description="warmup iterations (linear increase from 0)")
    c: int | None = Field(20000, ge=0, description="iteration of the first 10x drop (Nil: none)")
    d: int | None = Field(25000, ge=0, description="iteration of the second 10x drop (Nil: none)")
    e: int | None = Field(None, ge=0, description="iteration of the third 10x drop (Nil: none)")

    @model_validator(mode="after")
    def _drops_in_order(self) -> WarmupShape:
        drops = [x for x in (self.c, self.d, self.e) if x is not None]
        if drops != sorted(drops):
            raise ValueError(f"LR drops c, d, e must be in increasing order, got {drops}")
        return self

    def warmup(self, max_lr: float) -> WarmupSchedule:
        drops = tuple(x for x in (self.c, self.d, self.e) if x is not None)
        return WarmupSchedule(max_lr, self.b, drops)


class WarmupPeakShape(WarmupShape):
    """The warmup shape with its peak ``a``, the max_lr the oracle varies (shared by the families
    built from one original warmup schedule); by default that schedule is every cycle's."""

    max_lr_field = "a"

    a: float = Field(3e-2, ge=0, description="max_lr of the original warmup schedule")

    def build(self, ctx: CycleContext) -> Schedule:
        return self.warmup(self.a)


class WarmupParams(WarmupPeakShape):
    family = "warmup"
    type: Literal["warmup"] = "warmup"
    a: float = Field(3e-2, ge=0, description="max_lr: LR reached at the end of warmup")
