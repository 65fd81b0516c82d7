"""The oracle's durable storage: trained states on disk, runs and answers in a SQL database.

``ArtifactStore`` keeps CycleStates by content; ``OracleDB`` is the database object (our own
tables, Alembic-migrated, version table ``scyc_alembic_version``) with one repository per
aggregate: ``db.studies``, ``db.oracle`` (cycles and trials), ``db.fits``, ``db.comparisons``,
``db.distributions``; ``mirror_trial`` adds each run to an Optuna study in the same database for
``optuna-dashboard``.
"""

from scyc_tune.store.artifacts import ArtifactStore
from scyc_tune.store.db import OracleDB
from scyc_tune.store.optuna_mirror import mirror_trial
from scyc_tune.store.rows import (
    CompareRunRow,
    CycleRow,
    DistributionRow,
    FitRow,
    StudyRow,
    TrialRow,
)

__all__ = [
    "ArtifactStore",
    "CompareRunRow",
    "CycleRow",
    "DistributionRow",
    "FitRow",
    "OracleDB",
    "StudyRow",
    "TrialRow",
    "mirror_trial",
]
