"""The studies: one row per study name, with the study file it was first run from."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from scyc_tune.store._utc import utcnow
from scyc_tune.store.database import Database
from scyc_tune.store.rows import StudyRow
from scyc_tune.store.tables import NAME_LENGTH, StudyModel


class Studies:
    def __init__(self, db: Database) -> None:
        self._db = db

    def upsert(self, name: str, content: str, content_hash: str) -> int:
        """The id of study ``name``, created if new; its content and hash are set to these."""
        if not name or len(name) > NAME_LENGTH:
            raise ValueError(f"study name {name!r} must have 1 to {NAME_LENGTH} characters")

        def write(s: Session) -> int:
            row = s.scalar(select(StudyModel).where(StudyModel.name == name))
            if row is None:
                row = StudyModel(name=name, created_at=utcnow())
                s.add(row)
            row.content = content
            row.content_hash = content_hash
            s.flush()
            return row.id

        return self._db.write(write)

    def ensure(self, name: str, content: str) -> int:
        """The id of study ``name``; created with ``content`` if new, else kept as it is (the
        commands that read a study's results never rewrite the study file it was run from)."""
        row = self.named(name)
        if row is not None:
            return row.id
        return self.upsert(name, content, hashlib.sha256(content.encode()).hexdigest())

    def all(self) -> list[StudyRow]:
        """Every study, by name."""
        with self._db.sessions() as s:
            return [StudyRow.of(m) for m in s.scalars(select(StudyModel).order_by(StudyModel.name))]

    def named(self, name: str) -> StudyRow | None:
        with self._db.sessions() as s:
            row = s.scalar(select(StudyModel).where(StudyModel.name == name))
            return None if row is None else StudyRow.of(row)
