"""One driver per (study, job): a lease row, renewed by its holder while it runs.

A second driver of the same job on the same study is refused with one line saying who holds
it. A holder that died (kill -9, a lost machine) stops renewing: its lease is taken over once
it is ``STALE_AFTER_S`` old, or at once when the holder was a process on this host that no
longer exists.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scyc_tune.errors import ScycError
from scyc_tune.store._utc import utcnow
from scyc_tune.store.database import Database, get_or_add
from scyc_tune.store.tables import LeaseModel

RENEW_EVERY_S = 10.0
STALE_AFTER_S = 60.0


class StudyBusy(ScycError):
    """Another driver holds the study's job."""


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _gone(holder: str) -> bool:
    """True when ``holder`` was a process of this host that no longer exists."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


class Leases:
    def __init__(self, db: Database) -> None:
        self._db = db

    def acquire(self, study_id: int, job: str, holder: str, stale_after_s: float) -> None:
        """Take the lease of (study, job) for ``holder``; StudyBusy while another holds it."""

        def write(s: Session) -> None:
            row, new = get_or_add(s, LeaseModel, study_id=study_id, job=job)
            now = utcnow()
            if not new and row.holder != holder:
                age = (now - row.renewed_at).total_seconds()
                if age < stale_after_s and not _gone(row.holder):
                    host, _, rest = row.holder.partition(":")
                    raise StudyBusy(
                        f"the {job} of this study is running in process {rest.partition(':')[0]}"
                        f" on {host} (lease renewed {age:.0f} s ago); wait for it to finish, "
                        f"or, if that process is gone, re-run after {stale_after_s:.0f} s"
                    )
            if new or row.holder != holder:
                row.acquired_at = now
            row.holder, row.renewed_at = holder, now
            s.flush()

        self._db.write(write)

    def release(self, study_id: int, job: str, holder: str) -> None:
        self._db.write(
            lambda s: s.execute(
                delete(LeaseModel).where(
                    LeaseModel.study_id == study_id,
                    LeaseModel.job == job,
                    LeaseModel.holder == holder,
                )
            )
        )

    def holders(self, study_id: int) -> dict[str, str]:
        """The study's leases now: job -> holder."""
        query = select(LeaseModel).where(LeaseModel.study_id == study_id)
        with self._db.sessions() as s:
            return {m.job: m.holder for m in s.scalars(query)}

    @contextmanager
    def hold(self, study_id: int, job: str) -> Iterator[None]:
        """Hold the lease of (study, job) for the body, renewed in the background."""
        stale = float(os.environ.get("SCYC_LEASE_STALE_S", STALE_AFTER_S))
        holder = _me()
        self.acquire(study_id, job, holder, stale)
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(min(RENEW_EVERY_S, stale / 3)):
                try:
                    self.acquire(study_id, job, holder, stale)
                except Exception:  # noqa: BLE001 - a renewal that fails is retried next tick
                    pass

        thread = threading.Thread(target=renew, name=f"lease-{job}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=5)
            self.release(study_id, job, holder)


__all__ = ["RENEW_EVERY_S", "STALE_AFTER_S", "Leases", "StudyBusy"]
