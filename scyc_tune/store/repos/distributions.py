"""The measured distributions (weight gradients, hidden representations) at the end of each
cycle of a source: one row per study, source, cycle and kind."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scyc_tune.store._utc import utcnow
from scyc_tune.store._values import to_json
from scyc_tune.store.database import Database, check_one_of, get_or_add
from scyc_tune.store.entries import DistributionEntry
from scyc_tune.store.rows import DistributionRow
from scyc_tune.store.tables import DISTRIBUTION_KINDS, DistributionModel


class Distributions:
    def __init__(self, db: Database) -> None:
        self._db = db

    def save(self, study_id: int, entry: DistributionEntry) -> DistributionRow:
        """Store (or replace) the distribution of ``entry.kind`` at the end of the cycle."""
        check_one_of("distribution kind", entry.kind, DISTRIBUTION_KINDS)

        def write(s: Session) -> DistributionRow:
            keys = dict(study_id=study_id, source=entry.source, cycle=entry.cycle, kind=entry.kind)
            m, _ = get_or_add(s, DistributionModel, **keys)
            m.percent_remaining = float(entry.percent_remaining)
            m.artifact = entry.artifact
            m.stats = to_json(entry.stats)
            m.created_at = utcnow()
            s.flush()
            return DistributionRow.of(m)

        return self._db.write(write)

    def of(self, study_id: int, source: str) -> list[DistributionRow]:
        """The stored distributions of ``source``, by cycle then kind."""
        query = (
            select(DistributionModel)
            .where(DistributionModel.study_id == study_id, DistributionModel.source == source)
            .order_by(DistributionModel.cycle, DistributionModel.kind)
        )
        with self._db.sessions() as s:
            return [DistributionRow.of(m) for m in s.scalars(query)]
