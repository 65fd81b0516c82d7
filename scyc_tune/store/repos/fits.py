"""The fitted S-Cyc parameters: one row per study and fit mode."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scyc_tune.store._utc import utcnow
from scyc_tune.store._values import to_json
from scyc_tune.store.database import Database, check_one_of, get_or_add
from scyc_tune.store.entries import FitEntry
from scyc_tune.store.rows import FitRow
from scyc_tune.store.tables import FIT_MODES, FitModel


class Fits:
    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, study_id: int, entry: FitEntry) -> FitRow:
        """Store the study's fitted parameters for ``entry.mode`` (replacing an earlier fit)."""
        check_one_of("fit mode", entry.mode, FIT_MODES)

        def write(s: Session) -> FitRow:
            row, _ = get_or_add(s, FitModel, study_id=study_id, mode=entry.mode)
            row.params = to_json(entry.params)
            row.value = float(entry.value)
            row.optuna_study = entry.optuna_study
            row.trials = int(entry.trials)
            row.created_at = utcnow()
            s.flush()
            return FitRow.of(row)

        return self._db.write(write)

    def of(self, study_id: int) -> dict[str, FitRow]:
        """The study's fits by mode."""
        query = select(FitModel).where(FitModel.study_id == study_id)
        with self._db.sessions() as s:
            return {m.mode: FitRow.of(m) for m in s.scalars(query)}
