"""Alembic environment for the oracle's tables (run by Alembic, never imported).

Takes the connection from ``config.attributes["connection"]`` when the caller passes one (as
``OracleDB`` does), else opens ``sqlalchemy.url``. Only ``scyc_*`` tables are ours: Optuna's tables
in the same database are invisible to autogenerate, and our revision is kept in
``scyc_alembic_version``, not Optuna's ``alembic_version``.
"""

from alembic import context
from sqlalchemy import engine_from_config, pool

from scyc_tune.store._migrate import VERSION_TABLE
from scyc_tune.store.tables import Base

config = context.config
target_metadata = Base.metadata


def include_name(name, type_, parent_names) -> bool:
    if type_ == "table":
        return name is not None and name.startswith("scyc_") and name != VERSION_TABLE
    return True


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=target_metadata,
        version_table=VERSION_TABLE,
        include_name=include_name,
        compare_type=True,
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as connection:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
