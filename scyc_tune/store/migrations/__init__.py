"""Alembic migrations of the oracle's tables; run by ``scyc_tune.store._migrate.upgrade``."""
