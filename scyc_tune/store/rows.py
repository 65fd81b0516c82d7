"""Frozen snapshots of the oracle's rows, detached from any session."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
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
        return _of(cls, m)


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
        return _of(
            cls,
            m,
            region_values=None if m.region_values is None else tuple(json.loads(m.region_values)),
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
        return _of(cls, m, metrics=None if m.metrics is None else json.loads(m.metrics))

    @property
    def percent_effective(self) -> float | None:
        """The effective lambda its record holds (None: no record, or one from before)."""
        value = (self.metrics or {}).get("percent_effective")
        return None if value is None else float(value)


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
        return _of(cls, m, params=json.loads(m.params))


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
        return _of(cls, m)


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
        return _of(cls, m, stats=json.loads(m.stats))


def _of(cls, m, **decoded):
    """The dataclass ``cls`` with every field read from the ORM object ``m`` under the same
    name, except the ``decoded`` ones (JSON columns)."""
    values = {f.name: getattr(m, f.name) for f in fields(cls) if f.name not in decoded}
    return cls(**values, **decoded)
