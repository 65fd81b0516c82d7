"""Frozen snapshots of the oracle's rows, detached from any session."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from scyc_tune.store.tables import (
    CompareRunModel,
    CycleModel,
    DistributionModel,
    FitModel,
    StudyModel,
    TrialModel,
)


@dataclass(frozen=True)
class StudyRow:
    id: int
    name: str
    content: str
    content_hash: str
    created_at: datetime

    @classmethod
    def of(cls, m: StudyModel) -> StudyRow:
        return cls(m.id, m.name, m.content, m.content_hash, m.created_at)


@dataclass(frozen=True)
class CycleRow:
    """Cycle m of a study. The region fields are None until ``finish_cycle``.

    percent_remaining: lambda, in percent (100.0 for the unpruned network).
    region_values: the max_lr values of the well-tuned region, in the order recorded.
    """

    id: int
    study_id: int
    cycle: int
    percent_remaining: float
    start_artifact: str
    status: str
    well_tuned_max_lr: float | None
    region_min: float | None
    region_max: float | None
    region_values: tuple[float, ...] | None
    region_contiguous: bool | None
    best_run_id: str | None
    updated_at: datetime

    @classmethod
    def of(cls, m: CycleModel) -> CycleRow:
        values = None if m.region_values is None else tuple(json.loads(m.region_values))
        return cls(
            m.id,
            m.study_id,
            m.cycle,
            m.percent_remaining,
            m.start_artifact,
            m.status,
            m.well_tuned_max_lr,
            m.region_min,
            m.region_max,
            values,
            m.region_contiguous,
            m.best_run_id,
            m.updated_at,
        )


@dataclass(frozen=True)
class TrialRow:
    """One run of a cycle at one max_lr. Accuracies are fractions in [0, 1]; wall_time seconds.

    metrics: the full record as recorded (a fresh dict per row), None if the run left none.
    """

    id: int
    run_id: str
    cycle_id: int
    max_lr: float
    seed: int
    status: str
    val_acc: float | None
    test_acc: float | None
    final_val_acc: float | None
    train_loss: float | None
    iterations_run: int
    wall_time: float
    error: str | None
    artifact: str | None
    metrics: dict | None
    started_at: datetime
    finished_at: datetime

    @classmethod
    def of(cls, m: TrialModel) -> TrialRow:
        return cls(
            m.id,
            m.run_id,
            m.cycle_id,
            m.max_lr,
            m.seed,
            m.status,
            m.val_acc,
            m.test_acc,
            m.final_val_acc,
            m.train_loss,
            m.iterations_run,
            m.wall_time,
            m.error,
            m.artifact,
            None if m.metrics is None else json.loads(m.metrics),
            m.started_at,
            m.finished_at,
        )


@dataclass(frozen=True)
class FitRow:
    """A study's fitted S-Cyc parameters for one mode ('oracle' or 'accuracy')."""

    id: int
    study_id: int
    mode: str
    params: dict
    value: float
    optuna_study: str
    trials: int
    created_at: datetime

    @classmethod
    def of(cls, m: FitModel) -> FitRow:
        return cls(
            m.id,
            m.study_id,
            m.mode,
            json.loads(m.params),
            m.value,
            m.optuna_study,
            m.trials,
            m.created_at,
        )


@dataclass(frozen=True)
class CompareRunRow:
    """One cycle of one comparison run (see CompareRunModel)."""

    key: str
    row: str
    seed: int
    cycle: int
    run_id: str
    percent_remaining: float
    max_lr: float
    diverged: bool
    val_acc: float
    test_acc: float
    train_loss: float | None
    wall_time: float
    reused: bool
    artifact: str | None

    @classmethod
    def of(cls, m: CompareRunModel) -> CompareRunRow:
        return cls(
            m.key,
            m.row,
            m.seed,
            m.cycle,
            m.run_id,
            m.percent_remaining,
            m.max_lr,
            m.diverged,
            m.val_acc,
            m.test_acc,
            m.train_loss,
            m.wall_time,
            m.reused,
            m.artifact,
        )


@dataclass(frozen=True)
class DistributionRow:
    """A stored distribution summary (``stats``: the analysis module's JSON dict)."""

    source: str
    cycle: int
    kind: str
    percent_remaining: float
    artifact: str
    stats: dict

    @classmethod
    def of(cls, m: DistributionModel) -> DistributionRow:
        return cls(m.source, m.cycle, m.kind, m.percent_remaining, m.artifact, json.loads(m.stats))
