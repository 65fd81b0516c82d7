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
