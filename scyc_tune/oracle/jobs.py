"""The oracle's jobs for one cycle: the study's oracle schedule with each grid max_lr."""

from __future__ import annotations

from collections.abc import Sequence

from scyc_tune.engine import CycleJob, cycle_job
from scyc_tune.study import Study


def grid_jobs(study: Study, cycle: int, grid: Sequence[float]) -> dict[float, CycleJob]:
    """One job per max_lr: the oracle's schedule with its peak set to that value."""
    base = cycle_job(study, cycle, study.oracle_schedule_label())
    return {v: base.model_copy(update={"schedule": base.schedule.with_max_lr(v)}) for v in grid}


def optuna_study_name(study: Study, cycle: int) -> str:
    """Internal cycle m (0-based) is also an Optuna study, '<study>/cycle-<m+1>' (as the CLI
    numbers cycles: `cycle 1/6` is m = 0)."""
    from scyc_tune.store.optuna_mirror import cycle_study_name

    return cycle_study_name(study.name, cycle)
