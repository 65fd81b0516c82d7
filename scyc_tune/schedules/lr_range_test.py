"""lr_range_test: LR warmup whose max_lr is Smith's LR range test's suggestion, taken at the
start of every cycle (as PyTorch Lightning's and fastai's ``lr_find`` suggest an LR): the
cheap rival practitioners try before an oracle.

The engine runs the test on the cycle's start network (``scyc_tune.engine.lr_range_test``:
``steps`` iterations with the LR growing exponentially from ``lr_start`` to ``lr_end``) and
reads max_lr off the smoothed loss curve by ``rule``: ``steepest`` (Lightning's: the LR of the
steepest descent) or ``minimum`` (fastai's ``lr_min``: the LR of the lowest loss, over 10).
The cycle then trains with the warmup shape b, c, d, e at that max_lr.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, model_validator

from scyc_tune.schedules.base import CycleContext, Schedule
from scyc_tune.schedules.warmup import WarmupShape


class LRRangeTestParams(WarmupShape):
    family = "lr_range_test"
    needs_range_test: ClassVar[bool] = True
    type: Literal["lr_range_test"] = "lr_range_test"
    lr_start: float = Field(1e-5, gt=0, description="the test's first LR")
    lr_end: float = Field(1.0, gt=0, description="the test's last LR")
    steps: int = Field(100, ge=13, le=100000, description="iterations of the test")
    rule: Literal["steepest", "minimum"] = Field(
        "steepest",
        description="'steepest': the LR of the smoothed loss's steepest descent (Lightning's "
        "suggestion); 'minimum': the LR of its lowest point over 10 (fastai's lr_min)",
    )

    @model_validator(mode="after")
    def _range_ordered(self) -> LRRangeTestParams:
        if not self.lr_end > self.lr_start:
            raise ValueError(f"lr_end ({self.lr_end}) must be > lr_start ({self.lr_start})")
        return self

    def max_lr_at(self, ctx: CycleContext) -> float:
        if ctx.range_test_lr is None:
            raise ValueError(
                "the lr_range_test schedule needs the LR range test's suggestion on the "
                "cycle's start state; build it through the engine (cycle_job runs the test)"
            )
        return ctx.range_test_lr

    def build(self, ctx: CycleContext) -> Schedule:
        return self.warmup(self.max_lr_at(ctx))
