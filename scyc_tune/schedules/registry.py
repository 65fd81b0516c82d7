"""All schedule families by name; adding one is a new file plus one line here."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from scyc_tune.schedules.auto import AutoParams
from scyc_tune.schedules.base import CycleContext, Schedule, ScheduleParams
from scyc_tune.schedules.constant import ConstantParams
from scyc_tune.schedules.cyclical import CyclicalParams
from scyc_tune.schedules.decay import DecayParams
from scyc_tune.schedules.finetune import FinetuneParams
from scyc_tune.schedules.lr_range_test import LRRangeTestParams
from scyc_tune.schedules.onecycle import OneCycleParams
from scyc_tune.schedules.rewind import RewindParams
from scyc_tune.schedules.scaled_restart import ScaledRestartParams
from scyc_tune.schedules.scyc import SCycParams
from scyc_tune.schedules.warmup import WarmupParams

SCHEDULES: dict[str, type[ScheduleParams]] = {
    cls.family: cls
    for cls in (
        ConstantParams,
        DecayParams,
        CyclicalParams,
        WarmupParams,
        SCycParams,
        FinetuneParams,
        RewindParams,
        OneCycleParams,
        ScaledRestartParams,
        AutoParams,
        LRRangeTestParams,
    )
}

#: a schedule table in a study file, told apart by its ``type`` key
AnyScheduleParams = Annotated[
    ConstantParams
    | DecayParams
    | CyclicalParams
    | WarmupParams
    | SCycParams
    | FinetuneParams
    | RewindParams
    | OneCycleParams
    | ScaledRestartParams
    | AutoParams
    | LRRangeTestParams,
    Field(discriminator="type"),
]


def make_schedule(
    params: ScheduleParams,
    cycle: int,
    pruning_rate: float,
    iterations: int | None = None,
    original_iterations: int | None = None,
    gradient_scale: float | None = None,
    range_test_lr: float | None = None,
) -> Schedule:
    """The factory: the schedule for pruning cycle m = ``cycle`` at pruning rate p."""
    ctx = CycleContext(
        cycle, pruning_rate, iterations, original_iterations, gradient_scale, range_test_lr
    )
    return params.build(ctx)
