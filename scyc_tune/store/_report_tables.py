"""OracleDB's methods for the comparison runs and the distributions (kept apart from db.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from scyc_tune.store._utc import utcnow
from scyc_tune.store._values import opt_float, to_json
from scyc_tune.store.entries import CompareEntry
from scyc_tune.store.rows import CompareRunRow, DistributionRow
from scyc_tune.store.tables import DISTRIBUTION_KINDS, CompareRunModel, DistributionModel

T = TypeVar("T")
M = TypeVar("M")


class ReportTables:
    """Mixed into OracleDB, which provides ``_write`` and ``_sessions``."""

    _write: Callable[[Callable[[Session], T]], T]
    _sessions: Callable[[], Session]

    def record_compare_run(self, study_id: int, entry: CompareEntry) -> CompareRunRow:
        """Store one finished cycle of a comparison run (kept as it is if its key is stored)."""
        key, record = entry.key, entry.record

        def write(s: Session) -> CompareRunRow:
            m = s.scalar(
                select(CompareRunModel).where(
                    CompareRunModel.study_id == study_id, CompareRunModel.key == key
                )
            )
            if m is None:
                loss = record.get("train_loss")
                m = CompareRunModel(
                    study_id=study_id,
                    key=key,
                    row=entry.row,
                    seed=int(entry.seed),
                    cycle=int(entry.cycle),
                    run_id=entry.run_id,
                    percent_remaining=float(record["percent_remaining"]),
                    max_lr=float(record["max_lr"]),
                    diverged=bool(record["diverged"]),
                    val_acc=float(record["val_acc"]),
                    test_acc=float(record["test_acc"]),
                    train_loss=opt_float(loss),
                    wall_time=float(record.get("wall_time") or 0.0),
                    reused=bool(entry.reused),
                    artifact=entry.artifact,
                    created_at=utcnow(),
                )
                s.add(m)
                s.flush()
            return CompareRunRow.of(m)

        return self._write(write)

    def compare_runs_of(self, study_id: int) -> dict[str, CompareRunRow]:
        """The study's stored comparison cycles by key."""
        query = select(CompareRunModel).where(CompareRunModel.study_id == study_id)
        with self._sessions() as s:
            return {m.key: CompareRunRow.of(m) for m in s.scalars(query)}

    def save_distribution(
        self,
        study_id: int,
        source: str,
        cycle: int,
        kind: str,
        percent_remaining: float,
        artifact: str,
        stats: dict,
    ) -> DistributionRow:
        """Store (or replace) the distribution of ``kind`` at the end of ``source``'s cycle."""
        if kind not in DISTRIBUTION_KINDS:
            raise ValueError(f"distribution kind {kind!r} is not one of {DISTRIBUTION_KINDS}")

        def write(s: Session) -> DistributionRow:
            keys = dict(study_id=study_id, source=source, cycle=cycle, kind=kind)
            m, _ = get_or_add(s, DistributionModel, **keys)
            m.percent_remaining = float(percent_remaining)
            m.artifact = artifact
            m.stats = to_json(stats)
            m.created_at = utcnow()
            s.flush()
            return DistributionRow.of(m)

        return self._write(write)

    def distributions_of(self, study_id: int, source: str) -> list[DistributionRow]:
        """The stored distributions of ``source``, by cycle then kind."""
        query = (
            select(DistributionModel)
            .where(DistributionModel.study_id == study_id, DistributionModel.source == source)
            .order_by(DistributionModel.cycle, DistributionModel.kind)
        )
        with self._sessions() as s:
            return [DistributionRow.of(m) for m in s.scalars(query)]


def get_or_add(s: Session, model: type[M], **keys: object) -> tuple[M, bool]:
    """The row of ``model`` with these column values, or a new one added to the session;
    True when new."""
    row = s.scalar(select(model).filter_by(**keys))
    if row is not None:
        return row, False
    row = model(**keys)
    s.add(row)
    return row, True
