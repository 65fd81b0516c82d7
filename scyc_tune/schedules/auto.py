"""auto: LR warmup whose max_lr follows the narrowing of the weight gradients (the S-Cyc
paper's stated future work: derive max_lr from the gradient distribution).

At the start of cycle m the engine measures the spread s_m of the loss gradients of the
surviving weights (see ``scyc_tune.engine.gradients``) on a fixed set of training batches, and

    max_lr_m = clip(max_lr_0 * s_0 / s_m, lr_min, lr_max)

so only the unpruned network's max_lr is needed. As the network is pruned the gradients narrow
(s_m < s_0) and max_lr rises, like S-Cyc's, but without fitted parameters.

s_0, the reference, is measured on the trained unpruned network (``reference = "trained"``,
the default: the end of cycle 0, trained with this schedule at max_lr_0; for IMP the trained
counterpart of the rewind point): later cycles start from trained networks too (or, rewound,
are compared with one), so the ratio measures what pruning changed and not the fall of the
loss between a random initialisation and a trained net (158x on digits' FC at cycle 1 with
the initialisation as reference). ``reference = "init"`` is the unpruned initialisation.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field, SerializationInfo, model_serializer, model_validator

from scyc_tune.schedules.base import CycleContext, Schedule
from scyc_tune.schedules.warmup import WarmupParams, WarmupShape


class AutoParams(WarmupShape):
    family = "auto"
    needs_gradients: ClassVar[bool] = True
    type: Literal["auto"] = "auto"
    max_lr_0: float = Field(3e-2, gt=0, description="max_lr of the unpruned network (cycle 0)")
    lr_min: float = Field(1e-4, gt=0, description="max_lr is clipped to at least this")
    lr_max: float = Field(1.0, gt=0, description="max_lr is clipped to at most this")
    statistic: Literal["rms", "quantile"] = Field(
        "rms", description="spread of |grad|: root mean square, or a high quantile"
    )
    quantile: float = Field(0.99, gt=0, lt=1, description="the quantile, for statistic = quantile")
    batchnorm: Literal["batch", "running"] = Field(
        "batch",
        description="BatchNorm while the spread is measured: each batch's statistics, as in "
        "training ('batch'), or the running ones, as in evaluation ('running')",
    )
    reference: Literal["trained", "init"] = Field(
        "trained",
        description="s_0 on the trained unpruned network (the end of cycle 0 with this "
        "schedule) or on the unpruned initialisation (the start of cycle 0)",
    )
    spread: Literal["gradient", "hidden"] = Field(
        "gradient",
        description="what narrows: the surviving weights' loss gradients, or the hidden "
        "representations (every ReLU's output; Section 3.2's mechanism, dL/dw_i being "
        "proportional to w_i's input)",
    )
    gradient_batches: int = Field(
        8,
        ge=1,
        le=1000,
        description="training batches the spread is measured on (the same ones every cycle)",
    )

    @model_validator(mode="after")
    def _clip_ordered(self) -> AutoParams:
        if self.lr_max < self.lr_min:
            raise ValueError(f"lr_max ({self.lr_max}) must be >= lr_min ({self.lr_min})")
        return self

    @model_serializer(mode="wrap")
    def _reference_in_identity(self, handler, info: SerializationInfo) -> dict:
        """Run ids and comparison keys hash ``model_dump(exclude_defaults=True)``: there the
        default, "trained", is named, and "init", what auto measured before the field existed,
        is left out, so runs referenced to the initialisation keep their ids and no run of one
        reference is ever taken for the other's."""
        data = handler(self)
        if info.exclude_defaults:
            if self.reference == "trained":
                data["reference"] = "trained"
            else:
                data.pop("reference", None)
        return data

    @property
    def needs_reference(self) -> bool:
        return self.reference == "trained"

    def as_warmup_at_cycle_0(self) -> WarmupParams:
        """Cycle 0 is this warmup (the spread ratio is 1 there), the same training as the
        oracle's grid point at that max_lr with this shape."""
        a = min(self.lr_max, max(self.lr_min, self.max_lr_0))
        return WarmupParams(a=a, b=self.b, c=self.c, d=self.d, e=self.e)

    def max_lr_at(self, ctx: CycleContext) -> float:
        if ctx.cycle == 0:
            scale = 1.0
        elif ctx.gradient_scale is None:
            raise ValueError(
                "the auto schedule needs the gradient spread ratio of the cycle's start state; "
                "build it through the engine (cycle_job measures it)"
            )
        else:
            scale = ctx.gradient_scale
        return min(self.lr_max, max(self.lr_min, self.max_lr_0 * scale))

    def build(self, ctx: CycleContext) -> Schedule:
        return self.warmup(self.max_lr_at(ctx))
