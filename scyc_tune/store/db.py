"""``OracleDB``: the database object with one repository per aggregate.

    db = OracleDB("sqlite:///storage/scyc.db")
    study_id = db.studies.ensure(name, text)
    db.oracle.answers(study_id)            # cycles and trials -> OracleAnswer per cycle
    db.fits.of(study_id); db.comparisons.of(study_id); db.distributions.of(study_id, source)

Every call is one transaction, committed before it returns, so a killed process leaves whole
records or none. Arguments are typed (``store.entries``), rows come back as frozen dataclasses
(``store.rows``).
"""

from __future__ import annotations

from scyc_tune.store.database import Database
from scyc_tune.store.repos import (
    ComparisonRuns,
    Distributions,
    Fits,
    Leases,
    OracleRuns,
    Studies,
)


class OracleDB(Database):
    """The database at ``url`` (see Database) and its repositories."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.studies = Studies(self)
        self.oracle = OracleRuns(self)
        self.fits = Fits(self)
        self.comparisons = ComparisonRuns(self)
        self.distributions = Distributions(self)
        self.leases = Leases(self)

    def __enter__(self) -> OracleDB:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
