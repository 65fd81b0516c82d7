"""What the drivers write: frozen records, one per kind of write (the rows they get back are
in ``store.rows``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class TrialEntry:
    """One run of an oracle cycle at one max_lr. ``record``: ``CycleRecord.to_dict()`` (None
    when the run left none); timestamps timezone-aware."""

    run_id: str
    max_lr: float
    seed: int
    status: str  # complete | diverged | failed | stopped
    started_at: datetime
    finished_at: datetime
    record: dict | None = None
    error: str | None = None
    artifact: str | None = None


@dataclass(frozen=True)
class CompareEntry:
    """One finished cycle of one comparison run, under its cycle key."""

    key: str
    row: str
    seed: int
    cycle: int
    run_id: str
    record: dict
    artifact: str | None
    reused: bool


@dataclass(frozen=True)
class FitEntry:
    """The fitted S-Cyc parameters of one fit mode ('oracle' or 'accuracy'): their score, the
    Optuna study that found them and how many trials it ran."""

    mode: str
    params: dict
    value: float
    optuna_study: str
    trials: int


@dataclass(frozen=True)
class DistributionEntry:
    """The distribution of ``kind`` (weight_grad | hidden) at the end of ``source``'s cycle,
    measured on the trained state ``artifact``; ``stats``: ``Distribution.to_dict()``."""

    source: str
    cycle: int
    kind: str
    percent_remaining: float
    artifact: str
    stats: dict
