"""One repository per aggregate of the database: studies, the oracle's cycles and trials, fits,
comparison runs and distributions. Each takes typed arguments and returns frozen rows."""

from scyc_tune.store.repos.comparisons import ComparisonRuns
from scyc_tune.store.repos.distributions import Distributions
from scyc_tune.store.repos.fits import Fits
from scyc_tune.store.repos.leases import Leases
from scyc_tune.store.repos.oracle import OracleRuns
from scyc_tune.store.repos.studies import Studies

__all__ = ["ComparisonRuns", "Distributions", "Fits", "Leases", "OracleRuns", "Studies"]
