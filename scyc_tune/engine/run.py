"""Iterative pruning: train the unpruned network, then prune, (rewind,) retrain, cycle by cycle."""

from __future__ import annotations

from collections.abc import Callable

import torch

from scyc_tune.engine.device import resolve_device
from scyc_tune.engine.gradients import gradient_scale
from scyc_tune.engine.job import CycleJob
from scyc_tune.engine.record import CycleRecord
from scyc_tune.engine.start import initial_state, next_start_state
from scyc_tune.engine.state import CycleState
from scyc_tune.engine.train import CycleResult, ProgressCallback, train_cycle
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
            batch_size=study.training.batch_size,
            num_batches=params.gradient_batches,
            statistic=params.statistic,
            quantile=params.quantile,
            device=device,
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


def run_pruning(
    study: Study,
    schedule_label: str | None = None,
    cycles: int | None = None,
    device: torch.device | str | None = None,
    on_cycle_start: Callable[[int, int], None] | None = None,
    on_progress: ProgressCallback | None = None,
    on_cycle_end: Callable[[CycleResult], None] | None = None,
) -> list[CycleRecord]:
    """Run ``cycles`` cycles (default: the study's), m = 0 .. L-1, and return their records.

    Stops after a cycle that diverges (there is no trained state to prune); its record is the
    last one returned, marked diverged.
    """
    n_cycles = study.pruning.cycles if cycles is None else cycles
    device = resolve_device(study.training.device) if device is None else torch.device(device)
    state = initial_state(study.data, study.model, study.seed)
    records: list[CycleRecord] = []
    for m in range(n_cycles):
        if m > 0:
            state = next_start_state(
                state,
                study.pruning,
                study.data,
                study.model,
                study.seed,
                batch_size=study.training.batch_size,
                device=device,
            )
        if on_cycle_start is not None:
            on_cycle_start(m, n_cycles)
        job = cycle_job(study, m, schedule_label, start=state, device=device)
        result = train_cycle(job, state, device, on_progress)
        records.append(result.record)
        if on_cycle_end is not None:
            on_cycle_end(result)
        if result.state is None:
            break
        state = result.state
    return records
