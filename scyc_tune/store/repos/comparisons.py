"""The comparison's runs: one row per finished cycle of one (schedule row, seed) chain, under
the cycle key that names everything it depends on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scyc_tune.store._utc import utcnow
from scyc_tune.store._values import opt_float
from scyc_tune.store.database import Database
from scyc_tune.store.entries import CompareEntry
from scyc_tune.store.rows import CompareRunRow
from scyc_tune.store.tables import CompareRunModel


class ComparisonRuns:
    def __init__(self, db: Database) -> None:
        self._db = db

    def record(self, study_id: int, entry: CompareEntry) -> CompareRunRow:
        """Store one finished cycle of a comparison run (kept as it is if its key is stored)."""
        key, record = entry.key, entry.record

        def write(s: Session) -> CompareRunRow:
            m = s.scalar(
                select(CompareRunModel).where(
                    CompareRunModel.study_id == study_id, CompareRunModel.key == key
                )
            )
            if m is None:
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
                    train_loss=opt_float(record.get("train_loss")),
                    wall_time=float(record.get("wall_time") or 0.0),
                    reused=bool(entry.reused),
                    artifact=entry.artifact,
                    created_at=utcnow(),
                )
                s.add(m)
                s.flush()
            return CompareRunRow.of(m)

        return self._db.write(write)

    def of(self, study_id: int) -> dict[str, CompareRunRow]:
        """The study's stored comparison cycles by key."""
        query = select(CompareRunModel).where(CompareRunModel.study_id == study_id)
        with self._db.sessions() as s:
            return {m.key: CompareRunRow.of(m) for m in s.scalars(query)}
