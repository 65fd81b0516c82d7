"""The SQLAlchemy engine for an oracle database URL, with SQLite made safe for several writers."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

SQLITE_BUSY_TIMEOUT_MS = 60_000


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
    url = make_url(url)
    if not is_sqlite(url):
        return create_engine(url)
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
