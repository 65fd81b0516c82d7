"""1-cycle (Smith and Topin 2019) replayed every cycle; the same LR values as
``torch.optim.lr_scheduler.OneCycleLR(max_lr, total_steps=iterations, pct_start, anneal_strategy,
div_factor, final_div_factor, three_phase)`` (momentum cycling is left to the optimizer)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from pydantic import Field

from scyc_tune.schedules.base import CycleContext, Schedule, ScheduleParams


def _anneal(start: float, end: float, pct: float, strategy: str) -> float:
    if strategy == "cos":
        return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
    return (end - start) * pct + start


@dataclass(frozen=True)
class OneCycleSchedule(Schedule):
    peak: float
    total_steps: int
    pct_start: float
    anneal_strategy: str
    div_factor: float
    final_div_factor: float
    three_phase: bool

    def _phases(self) -> list[tuple[float, float, float]]:
        initial = self.peak / self.div_factor
        minimum = initial / self.final_div_factor
        up = float(self.pct_start * self.total_steps) - 1
        last = self.total_steps - 1
        if self.three_phase:
            down = float(2 * self.pct_start * self.total_steps) - 2
            return [(up, initial, self.peak), (down, self.peak, initial), (last, initial, minimum)]
        return [(up, initial, self.peak), (last, self.peak, minimum)]

    def lr(self, iteration: int) -> float:
        phases = self._phases()
        start_step = 0.0
        for i, (end_step, start_lr, end_lr) in enumerate(phases):
            if iteration <= end_step or i == len(phases) - 1:
                pct = (iteration - start_step) / (end_step - start_step)
                return _anneal(start_lr, end_lr, pct, self.anneal_strategy)
            start_step = end_step
        raise AssertionError("unreachable")

    @property
    def max_lr(self) -> float:
        return self.peak


class OneCycleParams(ScheduleParams):
    family = "onecycle"
    max_lr_field = "max_lr"
    needs_iterations = True
    type: Literal["onecycle"] = "onecycle"
    max_lr: float = Field(0.1, ge=0, description="peak LR")
    pct_start: float = Field(0.3, gt=0, lt=1, description="share of the cycle spent increasing")
    anneal_strategy: Literal["cos", "linear"] = Field("cos", description="annealing shape")
    div_factor: float = Field(25.0, gt=0, description="initial LR = max_lr / div_factor")
    final_div_factor: float = Field(1e4, gt=0, description="min LR = initial LR / final_div_factor")
    three_phase: bool = Field(False, description="fast.ai's three-phase variant")

    def build(self, ctx: CycleContext) -> Schedule:
        if ctx.iterations is None:
            raise ValueError("onecycle needs the cycle's length (iterations)")
        return OneCycleSchedule(
            self.max_lr,
            ctx.iterations,
            self.pct_start,
            self.anneal_strategy,
            self.div_factor,
            self.final_div_factor,
            self.three_phase,
        )
