"""Run the package's Alembic migrations in code (no alembic.ini), in their own version table."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")

# Optuna's RDBStorage keeps its own Alembic revision in the default ``alembic_version``;
# ours lives beside it so both schemas can share one database.
VERSION_TABLE = "scyc_alembic_version"


def alembic_config(url: str | None = None) -> Config:
    """Alembic settings for the shipped migrations; ``url`` only for command-line style use."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, f"no migrations under {MIGRATIONS}"
    return head


def current_revision(connection: Connection) -> str | None:
    """The revision recorded in ``scyc_alembic_version`` (None on a database we never touched)."""
    context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
    return context.get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring our tables to ``revision`` in one transaction (a no-op when already there)."""
    logging.getLogger("alembic").setLevel(logging.WARNING)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
