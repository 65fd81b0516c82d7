"""The job of cycle m of a study: its specs, schedule, rewind point and measured gradient spread."""

from __future__ import annotations

import torch

from scyc_tune.engine.gradients import Spread, gradient_scale
from scyc_tune.engine.job import CycleJob
from scyc_tune.engine.state import CycleState
from scyc_tune.pruning import method_rewinds
from scyc_tune.schedules import ScheduleParams
from scyc_tune.study import Study


def cycle_job(
    study: Study,
    cycle: int,
    schedule_label: str | None = None,
    start: CycleState | None = None,
    device: torch.device | str = "cpu",
    schedule: ScheduleParams | None = None,
) -> CycleJob:
    """The job that trains cycle m of ``study`` with the labelled schedule (or ``schedule``).

    Schedules that need the gradient spread (``auto``) have it measured on ``start``, the
    cycle's start state, which is then required for m > 0."""
    params = schedule if schedule is not None else study.schedule_params(schedule_label)
    capture = None
    if cycle == 0 and method_rewinds(study.pruning):
        capture = study.pruning.rewind_iteration
    scale = None
    if params.needs_gradients and cycle > 0:
        if start is None:
            raise ValueError(f"schedule {params.type!r} needs cycle {cycle}'s start state")
        scale = gradient_scale(
            start,
            study.data,
            study.model,
            study.seed,
            Spread(
                study.training.batch_size,
                params.gradient_batches,
                params.statistic,
                params.quantile,
                params.batchnorm,
            ),
            device,
        )
    return CycleJob(
        data=study.data,
        model=study.model,
        training=study.training,
        schedule=params,
        cycle=cycle,
        pruning_rate=study.pruning.rate,
        seed=study.seed,
        capture_iteration=capture,
        gradient_scale=scale,
    )
