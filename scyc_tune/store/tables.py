"""The oracle's own tables (SQLAlchemy 2 ORM), beside Optuna's in the same database.

Portable SQL only (SQLite and PostgreSQL): explicit string lengths, named constraints, UTC
timestamps, JSON kept as Text. The schema is created and changed by the Alembic migrations in
``migrations/``; a test checks that they produce exactly these tables.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from scyc_tune.store._utc import UTCDateTime

NAME_LENGTH = 255
HASH_LENGTH = 64  # sha256 hex: content hashes, run ids, artifact keys
STATUS_LENGTH = 16

CYCLE_STATUSES = ("running", "complete", "failed")
TRIAL_STATUSES = ("complete", "diverged", "failed", "stopped")
FIT_MODES = ("oracle", "accuracy")
RETRYABLE_TRIAL_STATUSES = ("failed", "stopped")  # a later attempt of the run replaces these

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class StudyModel(Base):
    """One study file, by name; ``content`` is its TOML text."""

    __tablename__ = "scyc_studies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH), unique=True)
    content: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CycleModel(Base):
    """Pruning cycle m of a study: its start state and, once done, the oracle's answer."""

    __tablename__ = "scyc_cycles"
    __table_args__ = (
        UniqueConstraint("study_id", "cycle"),
        CheckConstraint(_one_of("status", CYCLE_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("scyc_studies.id"))
    cycle: Mapped[int] = mapped_column(Integer)
    percent_remaining: Mapped[float] = mapped_column(Float)
    start_artifact: Mapped[str] = mapped_column(String(HASH_LENGTH))
    status: Mapped[str] = mapped_column(String(STATUS_LENGTH))
    well_tuned_max_lr: Mapped[float | None] = mapped_column(Float)
    region_min: Mapped[float | None] = mapped_column(Float)
    region_max: Mapped[float | None] = mapped_column(Float)
    region_values: Mapped[str | None] = mapped_column(Text)
    region_contiguous: Mapped[bool | None] = mapped_column(Boolean)
    best_run_id: Mapped[str | None] = mapped_column(String(HASH_LENGTH))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class TrialModel(Base):
    """One training run of a cycle at one max_lr, named by the hash of its inputs."""

    __tablename__ = "scyc_trials"
    __table_args__ = (CheckConstraint(_one_of("status", TRIAL_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("scyc_cycles.id"), index=True)
    max_lr: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(BigInteger)  # derived seeds use 63 bits
    status: Mapped[str] = mapped_column(String(STATUS_LENGTH))
    val_acc: Mapped[float | None] = mapped_column(Float)
    test_acc: Mapped[float | None] = mapped_column(Float)
    final_val_acc: Mapped[float | None] = mapped_column(Float)
    train_loss: Mapped[float | None] = mapped_column(Float)
    iterations_run: Mapped[int] = mapped_column(Integer)
    wall_time: Mapped[float] = mapped_column(Float)
    error: Mapped[str | None] = mapped_column(Text)
    artifact: Mapped[str | None] = mapped_column(String(HASH_LENGTH))
    metrics: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FitModel(Base):
    """A study's fitted S-Cyc parameters, one row per fit mode (the latest fit replaces it)."""

    __tablename__ = "scyc_fits"
    __table_args__ = (
        UniqueConstraint("study_id", "mode"),
        CheckConstraint(_one_of("mode", FIT_MODES), name="mode"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("scyc_studies.id"))
    mode: Mapped[str] = mapped_column(String(STATUS_LENGTH))
    params: Mapped[str] = mapped_column(Text)  # the fitted schedule's JSON (type scyc)
    value: Mapped[float] = mapped_column(Float)
    optuna_study: Mapped[str] = mapped_column(String(NAME_LENGTH))
    trials: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CompareRunModel(Base):
    """One cycle of one comparison run (a schedule, a seed), keyed by the hash of everything
    that determines it: the study's data, model, pruning and training, the seed and the
    schedules of cycles 0 .. m (``key``)."""

    __tablename__ = "scyc_compare_runs"
    __table_args__ = (UniqueConstraint("study_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("scyc_studies.id"), index=True)
    key: Mapped[str] = mapped_column(String(HASH_LENGTH))
    row: Mapped[str] = mapped_column(String(NAME_LENGTH))  # the comparison row, e.g. "constant"
    seed: Mapped[int] = mapped_column(BigInteger)
    cycle: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[str] = mapped_column(String(HASH_LENGTH))
    percent_remaining: Mapped[float] = mapped_column(Float)
    max_lr: Mapped[float] = mapped_column(Float)
    diverged: Mapped[bool] = mapped_column(Boolean)
    val_acc: Mapped[float] = mapped_column(Float)
    test_acc: Mapped[float] = mapped_column(Float)
    train_loss: Mapped[float | None] = mapped_column(Float)
    wall_time: Mapped[float] = mapped_column(Float)
    reused: Mapped[bool] = mapped_column(Boolean)
    artifact: Mapped[str | None] = mapped_column(String(HASH_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


DISTRIBUTION_KINDS = ("weight_grad", "hidden")


class DistributionModel(Base):
    """The distribution of the surviving weights' gradients (or of the hidden representations)
    of one trained state: the end of cycle m of ``source`` (the oracle's winner, or a
    comparison row at the study seed). ``stats`` is the summary's JSON."""

    __tablename__ = "scyc_distributions"
    __table_args__ = (
        UniqueConstraint("study_id", "source", "cycle", "kind"),
        CheckConstraint(_one_of("kind", DISTRIBUTION_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("scyc_studies.id"))
    source: Mapped[str] = mapped_column(String(NAME_LENGTH))
    cycle: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(STATUS_LENGTH))
    percent_remaining: Mapped[float] = mapped_column(Float)
    artifact: Mapped[str] = mapped_column(String(HASH_LENGTH))
    stats: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LeaseModel(Base):
    """Who is running a job of a study now: one row per (study, job) while a driver runs it,
    renewed by the holder every few seconds; a second driver is refused while it is fresh."""

    __tablename__ = "scyc_leases"
    __table_args__ = (UniqueConstraint("study_id", "job"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("scyc_studies.id"))
    job: Mapped[str] = mapped_column(String(STATUS_LENGTH))  # oracle | compare | fit-oracle ...
    holder: Mapped[str] = mapped_column(String(NAME_LENGTH))  # host:pid:token
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime)
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime)
