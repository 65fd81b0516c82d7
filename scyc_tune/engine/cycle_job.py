"""The job of cycle m of a study: its specs, schedule, rewind point, and what a schedule needs
measured on the cycle's start state (the gradient spread, the LR range test's suggestion)."""

from __future__ import annotations

import torch

from scyc_tune.engine.gradients import Spread, gradient_scale
from scyc_tune.engine.job import CycleJob
from scyc_tune.engine.lr_range_test import lr_range_test
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
    reference: CycleState | None = None,
) -> CycleJob:
    """The job that trains cycle m of ``study`` with the labelled schedule (or ``schedule``).

    Schedules that need the gradient spread (``auto``) have it measured on ``start``, the
    cycle's start state, which is then required for m > 0, and referenced to ``reference``,
    the trained cycle-0 network, where the schedule says so (``needs_reference``);
    ``lr_range_test`` has the test run on ``start`` (on the study's initial network at m = 0
    when ``start`` is None)."""
    params = schedule if schedule is not None else study.schedule_params(schedule_label)
    capture = None
    if cycle == 0 and method_rewinds(study.pruning):
        capture = study.pruning.rewind_iteration
    scale = None
    if params.needs_gradients and cycle > 0:
        if start is None:
            raise ValueError(f"schedule {params.type!r} needs cycle {cycle}'s start state")
        if params.needs_reference and reference is None:
            raise ValueError(
                f"schedule {params.type!r} (reference = 'trained') needs cycle 0's trained "
                "state to measure its reference spread on"
            )
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
                params.spread,
            ),
            device,
            reference if params.needs_reference else None,
        )
    suggested = None
    if params.needs_range_test:
        if start is None and cycle > 0:
            raise ValueError(f"schedule {params.type!r} needs cycle {cycle}'s start state")
        if start is None:
            from scyc_tune.engine.start import initial_state  # start imports the pruning stack

            start = initial_state(study.data, study.model, study.seed)
        suggested = lr_range_test(
            start,
            study.data,
            study.model,
            study.training,
            study.seed,
            cycle,
            lr_start=params.lr_start,
            lr_end=params.lr_end,
            steps=params.steps,
            rule=params.rule,
            device=device,
        ).suggestion
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
        range_test_lr=suggested,
    )
