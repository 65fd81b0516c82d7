"""What a trial reports about one member, typed, and its one encoding across the Ray boundary.

Tune results are flat dicts of scalars, so a record travels as JSON; ``encode`` and ``decode``
are the only code that writes or reads those dicts. Every report carries ``val_acc`` (Tune
checks the metric exists) and ``final`` (True on the trial's last report).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass

from scyc_tune.engine import CycleRecord
from scyc_tune.errors import describe, environmental


@dataclass(frozen=True)
class MemberResult:
    """One member of a population after its cycle: trained now, loaded from the run index,
    failed (``error`` is ``errors.describe`` of the exception), or stopped by a fault of the
    environment ('fault': a full disk, a read-only or locked store; ``error`` is the one line
    that names it and the fix). A fault is not an answer about the member: the driver records
    nothing for it and the command stops with that line (``runs.launch``)."""

    key: str  # the trial's name for its work (a run id, a chain, an Optuna trial)
    cycle: int
    run_id: str | None  # None: failed before the job (and so its identity) existed
    status: str  # complete | diverged | failed | fault
    record: CycleRecord | None = None
    artifact: str | None = None  # the trained state (None: diverged or failed)
    reused: bool = False
    error: str | None = None
    started_at: float = 0.0  # epoch seconds
    note: str | None = None  # what the driver should say (a stored result that failed its check)

    @property
    def val_acc(self) -> float:
        return math.nan if self.record is None else float(self.record.val_acc)


def failure(key: str, cycle: int, run_id: str | None, exc: Exception, started_at: float = 0.0):
    """The result of a member whose work raised ``exc``: 'fault' with its one line when the
    environment is at fault (``errors.environmental``), else 'failed' with ``describe(exc)``."""
    fault = environmental(exc)
    if fault is not None:
        return MemberResult(key, cycle, run_id, "fault", error=str(fault), started_at=started_at)
    return MemberResult(key, cycle, run_id, "failed", error=describe(exc), started_at=started_at)


@dataclass(frozen=True)
class Progress:
    """An evaluation inside a member's cycle (for ASHA)."""

    key: str
    val_acc: float
    iteration: int


def encode(result: MemberResult, *, final: bool, last_cycle: bool, score: float | None) -> dict:
    out = {
        "key": result.key,
        "kind": "member",
        "final": final,
        "cycle": result.cycle,
        "run_id": result.run_id,
        "status": result.status,
        "reused": result.reused,
        "artifact": result.artifact,
        "started_at": result.started_at,
        "last_cycle": last_cycle,
        "val_acc": 0.0 if result.record is None else float(result.record.val_acc),
    }
    if result.record is not None:
        r = result.record
        out.update(
            record_json=json.dumps(r.to_dict()),
            max_lr=float(r.max_lr),
            diverged=bool(r.diverged),
            test_acc=float(r.test_acc),
        )
        out["lambda"] = float(r.percent_remaining)
        if r.percent_effective is not None:
            out["lambda_effective"] = float(r.percent_effective)
    if result.error is not None:
        out["failed"] = result.error
    if result.note is not None:
        out["note"] = result.note
    if score is not None:
        out["score"] = score
    return out


def encode_progress(p: Progress) -> dict:
    return {
        "key": p.key,
        "kind": "progress",
        "final": False,
        "val_acc": p.val_acc,
        "iteration": p.iteration,
    }


def encode_checkpoint(key: str, run_id: str, iteration: int) -> dict:
    """The report a mid-cycle checkpoint travels with (the driver ignores it)."""
    return {"key": key, "kind": "checkpoint", "final": False, "run_id": run_id,
            "iteration": iteration}  # fmt: skip


def decode(result: dict) -> MemberResult | Progress | None:
    """A trial's report as what it says; None for Tune's own bookkeeping results."""
    kind = result.get("kind")
    if kind == "progress":
        return Progress(result["key"], float(result["val_acc"]), int(result["iteration"]))
    if kind != "member":
        return None
    record = None
    if result.get("record_json"):
        record = CycleRecord(**json.loads(result["record_json"]))
    return MemberResult(
        key=result["key"],
        cycle=int(result["cycle"]),
        run_id=result.get("run_id"),
        status=result["status"],
        record=record,
        artifact=result.get("artifact"),
        reused=bool(result.get("reused")),
        error=result.get("failed"),
        started_at=float(result.get("started_at") or 0.0),
        note=result.get("note"),
    )
