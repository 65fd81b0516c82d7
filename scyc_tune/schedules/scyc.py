"""S-Cyc (epsilon, delta, q, beta, b, c, d, e): LR warmup whose max_lr rises along an S-curve
as the network is pruned (Liu, Tan and Motani, AAAI 2022, Eq. 2).

``max_lr = delta / (1 + (gamma / (1 - gamma)) ** -beta) + epsilon`` with
``gamma = 1 - (1 - p) ** (m - q)``; while m <= q (gamma <= 0, the "No Growth" phase) max_lr is
epsilon. max_lr rises from epsilon towards epsilon + delta as the network is pruned.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scyc_tune.schedules.base import CycleContext, Schedule
from scyc_tune.schedules.warmup import WarmupParams, WarmupShape


def scyc_gamma(pruning_rate: float, cycle: int, q: float) -> float:
    """gamma = 1 - (1 - p) ** (m - q): the share of weights pruned since cycle q."""
    return 1.0 - (1.0 - pruning_rate) ** (cycle - q)


def scyc_max_lr(
    epsilon: float, delta: float, q: float, beta: float, pruning_rate: float, cycle: int
) -> float:
    """S-Cyc's max_lr for pruning cycle m = ``cycle`` (number of completed pruning cycles)."""
    gamma = scyc_gamma(pruning_rate, cycle, q)
    if gamma <= 0.0:
        return epsilon
    return delta / (1.0 + (gamma / (1.0 - gamma)) ** (-beta)) + epsilon


class SCycParams(WarmupShape):
    family = "scyc"
    type: Literal["scyc"] = "scyc"
    epsilon: float = Field(3e-2, ge=0, description="max_lr of the unpruned network (lower end)")
    delta: float = Field(4e-2, ge=0, description="range: max_lr rises towards epsilon + delta")
    q: float = Field(1, ge=0, le=3, description="cycles of No Growth before max_lr starts rising")
    beta: float = Field(5, ge=3, le=6, description="shape: larger beta enters Fast Growth later")

    def max_lr_at(self, ctx: CycleContext) -> float:
        return scyc_max_lr(self.epsilon, self.delta, self.q, self.beta, ctx.pruning_rate, ctx.cycle)

    def build(self, ctx: CycleContext) -> Schedule:
        return self.warmup(self.max_lr_at(ctx))

    def as_warmup(self, cycle: int, pruning_rate: float) -> WarmupParams:
        """S-Cyc at cycle m is LR warmup with max_lr = S-Cyc's max_lr_m and the same shape;
        naming the cycle by that warmup makes its run id depend on max_lr_m only, not on the
        parameters that produced it."""
        a = self.max_lr_at(CycleContext(cycle, pruning_rate))
        return WarmupParams(a=a, **self.model_dump(include=set(self.phase_fields)))
