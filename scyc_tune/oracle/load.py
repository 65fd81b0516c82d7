"""The stored oracle, as fit, compare and the report read it."""

from __future__ import annotations

from scyc_tune.errors import ScycError
from scyc_tune.store import OracleDB
from scyc_tune.store.answer import OracleAnswer
from scyc_tune.study import Study


def oracle_seeds(study: Study) -> list[int]:
    """The seeds of a replicated oracle (``[oracle] seeds = R``): seed .. seed + R - 1."""
    return [study.seed + r for r in range(study.oracle.seeds)]


def load_oracle(db: OracleDB, study: Study) -> list[OracleAnswer]:
    """The study's finished oracle cycles, in order, up to the first unfinished one; ScycError
    when there is none."""
    row = db.studies.named(study.name)
    out: list[OracleAnswer] = []
    for answer in [] if row is None else db.oracle.answers(row.id, oracle_seeds(study)):
        if not answer.complete:
            break
        out.append(answer)
    if not out:
        raise ScycError(
            f"study {study.name!r} has no finished oracle cycle in {db.url}: run "
            f"`scyc-tune oracle` on it first (with the same --storage)"
        )
    return out
