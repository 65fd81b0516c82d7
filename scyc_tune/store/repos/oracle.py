"""The oracle's cycles and their trials (one run of a cycle at one max_lr), and the oracle's
answer of each cycle read back from them."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from scyc_tune.store._utc import utcnow
from scyc_tune.store._values import opt_float, to_json
from scyc_tune.store.answer import GridPoint, OracleAnswer, Region
from scyc_tune.store.database import Database, check_one_of, get_or_add
from scyc_tune.store.entries import TrialEntry
from scyc_tune.store.rows import CycleRow, TrialRow
from scyc_tune.store.tables import (
    RETRYABLE_TRIAL_STATUSES,
    TRIAL_STATUSES,
    CycleModel,
    TrialModel,
)

_IN_CHUNK = 500  # bound parameters per IN (...) query, well under every backend's limit


class OracleRuns:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- cycles --------------------------------------------------------------------------------

    def upsert_cycle(
        self, study_id: int, cycle: int, percent_remaining: float, start_artifact: str
    ) -> CycleRow:
        """Cycle ``cycle`` of the study, created 'running' if new.

        An existing row is kept as it is, unless it started from another artifact: then its start
        (and percent_remaining) are replaced, its status becomes 'running', and the region and
        the trials found from the old start are deleted (they answer another question; their
        trained states stay in the run index, to be reused if that start comes back).
        """

        def write(s: Session) -> CycleRow:
            row, new = get_or_add(s, CycleModel, study_id=study_id, cycle=cycle)
            if not new and row.start_artifact == start_artifact:
                return CycleRow.of(row)
            if not new:
                s.execute(delete(TrialModel).where(TrialModel.cycle_id == row.id))
            row.percent_remaining = float(percent_remaining)
            row.start_artifact = start_artifact
            row.status = "running"
            _clear_region(row)
            row.updated_at = utcnow()
            s.flush()
            return CycleRow.of(row)

        return self._db.write(write)

    def finish_cycle(self, cycle_id: int, answer: OracleAnswer) -> CycleRow:
        """Record the oracle's answer for a cycle: 'complete' with its region, or 'failed'
        (no point trained to completion) when ``answer.region`` is None."""
        region = answer.region
        values = json.dumps([] if region is None else [float(v) for v in region.values])

        def write(s: Session) -> CycleRow:
            row = s.get(CycleModel, cycle_id)
            if row is None:
                raise LookupError(f"no cycle with id {cycle_id} in {self._db.url}")
            row.status = "failed" if region is None else "complete"
            row.well_tuned_max_lr = None if region is None else opt_float(region.well_tuned)
            row.region_min = None if region is None else opt_float(region.low)
            row.region_max = None if region is None else opt_float(region.high)
            row.region_values = values
            row.region_contiguous = None if region is None else bool(region.contiguous)
            row.best_run_id = answer.best_run_id
            row.updated_at = utcnow()
            s.flush()
            return CycleRow.of(row)

        return self._db.write(write)

    def answers(self, study_id: int, seeds: Iterable[int] | None = None) -> list[OracleAnswer]:
        """The study's cycles as the oracle answered them, by cycle number: every recorded
        grid point with its status (over the runs of ``seeds``, default all: mean and std when
        there are several, ``GridPoint.of_runs``), and the region of each finished cycle (None
        otherwise)."""
        keep = None if seeds is None else set(seeds)
        out = []
        for c in self.cycles_of(study_id):
            trials = [t for t in self.trials_of(c.id) if keep is None or t.seed in keep]
            runs: dict[float, list[tuple[float | None, str]]] = {}
            for t in trials:
                runs.setdefault(t.max_lr, []).append((t.val_acc, t.status))
            points = tuple(GridPoint.of_runs(v, r) for v, r in sorted(runs.items()))
            region = None
            if c.status == "complete" and c.well_tuned_max_lr is not None:
                best = [p.val_acc for p in points if p.max_lr == c.well_tuned_max_lr]
                region = Region(
                    c.well_tuned_max_lr,
                    best[0] if best and best[0] is not None else float("nan"),
                    tuple(sorted(c.region_values or ())),
                    bool(c.region_contiguous) if c.region_contiguous is not None else True,
                )
            best_row = next((t for t in trials if t.run_id == c.best_run_id), None)
            out.append(
                OracleAnswer(
                    c.cycle, c.percent_remaining, points, region, c.start_artifact,
                    c.best_run_id, None if best_row is None else best_row.percent_effective,
                )
            )  # fmt: skip
        return out

    def cycles_of(self, study_id: int) -> list[CycleRow]:
        """The study's cycles, by cycle number."""
        query = select(CycleModel).where(CycleModel.study_id == study_id).order_by(CycleModel.cycle)
        with self._db.sessions() as s:
            return [CycleRow.of(m) for m in s.scalars(query)]

    # -- trials --------------------------------------------------------------------------------

    def record_trial(self, cycle_id: int, entry: TrialEntry) -> TrialRow:
        """Record the run ``entry.run_id`` and return its row.

        A run that finished ('complete' or 'diverged') is final: recording it again changes
        nothing and returns the stored row. A 'failed' or 'stopped' run may be retried: a later
        call for the same run_id replaces its row (same id) with the new attempt.

        record: the run's metrics (``CycleRecord.to_dict()``), stored whole as JSON and in the
        columns val_acc, test_acc, final_val_acc, train_loss, iterations_run and wall_time
        (seconds; from the timestamps when the record has none). Non-finite floats (the loss of
        a diverged run) are stored as NULL / null. Timestamps must be timezone-aware.
        """
        run_id, status, record = entry.run_id, entry.status, entry.record
        started_at, finished_at = entry.started_at, entry.finished_at
        check_one_of("trial status", status, TRIAL_STATUSES)
        for label, t in (("started_at", started_at), ("finished_at", finished_at)):
            if t.tzinfo is None or t.utcoffset() is None:
                raise ValueError(f"{label}={t.isoformat()} is naive; pass an aware datetime")
        r = record or {}
        wall_time = r.get("wall_time")
        if wall_time is None:
            wall_time = (finished_at - started_at).total_seconds()
        fields = dict(
            run_id=run_id,
            cycle_id=cycle_id,
            max_lr=float(entry.max_lr),
            seed=int(entry.seed),
            status=status,
            val_acc=opt_float(r.get("val_acc")),
            test_acc=opt_float(r.get("test_acc")),
            final_val_acc=opt_float(r.get("final_val_acc")),
            train_loss=opt_float(r.get("train_loss")),
            iterations_run=int(r.get("iterations_run", 0)),
            wall_time=float(wall_time),
            error=entry.error,
            artifact=entry.artifact,
            metrics=None if record is None else to_json(record),
            started_at=started_at,
            finished_at=finished_at,
        )

        def write(s: Session) -> TrialRow:
            row = s.scalar(select(TrialModel).where(TrialModel.run_id == run_id))
            if row is None:
                row = TrialModel(**fields)
                s.add(row)
            elif row.status in RETRYABLE_TRIAL_STATUSES:
                for name, value in fields.items():
                    setattr(row, name, value)
            s.flush()
            return TrialRow.of(row)

        return self._db.write(write)

    def invalidate_trial(self, run_id: str, error: str) -> None:
        """Mark a finished run 'failed' with ``error`` (its stored state is gone or failed its
        check), so the next launch trains it again and its new result replaces the row."""

        def write(s: Session) -> None:
            row = s.scalar(select(TrialModel).where(TrialModel.run_id == run_id))
            if row is not None:
                row.status, row.error, row.artifact = "failed", error[:1000], None

        self._db.write(write)

    def trials_for(self, run_ids: Iterable[str]) -> dict[str, TrialRow]:
        """The recorded trials among ``run_ids``, by run id (unrecorded ids are absent)."""
        ids = sorted(set(run_ids))
        found: dict[str, TrialRow] = {}
        with self._db.sessions() as s:
            for i in range(0, len(ids), _IN_CHUNK):
                query = select(TrialModel).where(TrialModel.run_id.in_(ids[i : i + _IN_CHUNK]))
                found.update((m.run_id, TrialRow.of(m)) for m in s.scalars(query))
        return found

    def trials_of(self, cycle_id: int) -> list[TrialRow]:
        """The cycle's recorded trials, by max_lr then seed."""
        query = (
            select(TrialModel)
            .where(TrialModel.cycle_id == cycle_id)
            .order_by(TrialModel.max_lr, TrialModel.seed, TrialModel.id)
        )
        with self._db.sessions() as s:
            return [TrialRow.of(m) for m in s.scalars(query)]

    def trial_counts(self, cycle_id: int) -> dict[str, int]:
        """Trials of the cycle per status, for the statuses it has (``{}`` when none)."""
        query = (
            select(TrialModel.status, func.count())
            .where(TrialModel.cycle_id == cycle_id)
            .group_by(TrialModel.status)
        )
        with self._db.sessions() as s:
            return {status: n for status, n in s.execute(query)}


def _clear_region(row: CycleModel) -> None:
    row.well_tuned_max_lr = None
    row.region_min = None
    row.region_max = None
    row.region_values = None
    row.region_contiguous = None
    row.best_run_id = None
