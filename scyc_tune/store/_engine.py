"""The SQLAlchemy engine for an oracle database URL, with SQLite made safe for several writers."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from scyc_tune.errors import ScycError

SQLITE_BUSY_TIMEOUT_MS = 60_000


#: The driver a plain ``postgresql://`` URL gets: psycopg 3 (the ``postgres`` extra).
#: SQLAlchemy's default for that scheme is psycopg2, which is no dependency of ours.
POSTGRES_DRIVER = "psycopg"
POSTGRES_EXTRA = "pip install 'scyc-tune[postgres]'"


def database_url(url: str | URL) -> URL:
    """``url`` with the driver we install: ``postgresql://`` and ``postgres://`` become
    ``postgresql+psycopg://`` (an explicit ``+driver`` is kept). Without psycopg installed, a
    PostgreSQL URL is refused in one line that names the extra."""
    if isinstance(url, str) and url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    url = make_url(url)
    if url.drivername == "postgresql":
        url = url.set(drivername=f"postgresql+{POSTGRES_DRIVER}")
    if url.drivername == f"postgresql+{POSTGRES_DRIVER}":
        try:
            import psycopg  # noqa: F401
        except ImportError as e:
            raise ScycError(
                f"a PostgreSQL URL needs psycopg 3, which is not installed: {POSTGRES_EXTRA}"
            ) from e
    return url


def url_string(url: str | URL) -> str:
    """``database_url(url)`` as a string with its password (for Optuna's RDBStorage)."""
    return database_url(url).render_as_string(hide_password=False)


def is_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite"


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL (relative to the working directory), None in memory."""
    db = url.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return Path(db)


def create_oracle_engine(url: str | URL) -> Engine:
    """An engine for ``url``; for SQLite, creates the file's directory and sets up transactions.

    SQLite: waits up to a minute for another writer's lock (busy timeout), enforces foreign keys
    as PostgreSQL does, and starts every transaction with ``BEGIN IMMEDIATE`` (SQLAlchemy's
    documented recipe for the sqlite3 driver), so DDL is transactional and two writers queue up
    instead of failing on a lock upgrade.
    """
    url = database_url(url)
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True)
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection, connection_record) -> None:
    dbapi_connection.isolation_level = None  # the driver emits no BEGIN; _sqlite_begin does
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")
