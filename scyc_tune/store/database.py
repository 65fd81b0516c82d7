"""The one database object: the engine, its sessions and the migrations. Each aggregate's
repository (``store/repos/``) reads and writes through it, one committed transaction a call."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from alembic.util import CommandError
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from scyc_tune.errors import ScycError
from scyc_tune.store._engine import create_oracle_engine
from scyc_tune.store._migrate import upgrade

T = TypeVar("T")
M = TypeVar("M")


class Database:
    """Opens (creating or upgrading our tables in) the database at ``url``.

    ``url`` is any SQLAlchemy URL, e.g. ``sqlite:///runs/oracle.db`` (relative to the working
    directory; its directory is created) or ``postgresql://...``. The same database may hold
    Optuna's RDBStorage tables."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self.engine = create_oracle_engine(url)
            upgrade(self.engine)
        except ImportError as e:
            raise ScycError(
                f"cannot open the oracle database {shown_url(url)}: its driver is not installed "
                f"({_first_line(e)}); install it or use a sqlite:/// URL"
            ) from e
        except (SQLAlchemyError, OSError, CommandError) as e:
            raise ScycError(
                f"cannot open the oracle database {shown_url(url)}: {_first_line(e)}"
            ) from e
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one committed transaction; once more if a concurrent writer inserted
        the same unique key first (the second attempt then finds its row)."""
        for attempt in (1, 2):
            try:
                with self.sessions.begin() as s:
                    return work(s)
            except IntegrityError:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def get_or_add(s: Session, model: type[M], **keys: object) -> tuple[M, bool]:
    """The row of ``model`` with these column values, or a new one added to the session;
    True when new."""
    row = s.scalar(select(model).filter_by(**keys))
    if row is not None:
        return row, False
    row = model(**keys)
    s.add(row)
    return row, True


def check_one_of(what: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{what} {value!r} is not one of {', '.join(map(repr, allowed))}")


def shown_url(url: str) -> str:
    """The URL without its password (as given, if it does not parse)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return repr(url)


def _first_line(e: BaseException) -> str:
    text = str(getattr(e, "orig", None) or e).strip()
    return text.splitlines()[0] if text else type(e).__name__
