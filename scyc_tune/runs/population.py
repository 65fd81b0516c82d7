"""A population: the members of one cycle, each a cycle job from a start state (one shared by
all, as the oracle's grid points, or its own). Each member is loaded from the run index when a
cycle with its run id was trained before (by any command), else trained, stored and indexed.

In this version the members are trained one after another; a member that raises is reported
failed (or 'fault', when the environment is to blame: a full disk, a read-only store) and the
others go on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scyc_tune.engine import CycleRecord, CycleState, cycle_job, train_cycle
from scyc_tune.runs.identity import note_training, run_id
from scyc_tune.runs.result import MemberResult, failure
from scyc_tune.schedules import ScheduleParams
from scyc_tune.store import ArtifactStore
from scyc_tune.store.artifacts import ArtifactError
from scyc_tune.store.runs import RunIndex
from scyc_tune.study import Study


@dataclass(frozen=True)
class Member:
    key: str  # how the trial names it in its reports
    schedule: ScheduleParams
    run_id: str | None = None  # when the planner knows it: checked against the job's


@dataclass
class Trained:
    """A member's result and, when it has one, its trained state (to carry forward)."""

    result: MemberResult
    state: CycleState | None


def train_population(
    study: Study,
    cycle: int,
    members: Sequence[Member],
    starts: Sequence[CycleState],
    artifact_root: str,
    on_progress: Callable[[Member, int, int, dict], None] | None = None,
) -> list[Trained]:
    """Cycle ``cycle`` of each member from ``starts[i]`` (or ``starts[0]`` for all)."""
    store, index = ArtifactStore(artifact_root), RunIndex(artifact_root)
    out = []
    for i, member in enumerate(members):
        start = starts[i] if len(starts) > 1 else starts[0]
        started = time.time()
        try:
            out.append(_one(study, cycle, member, start, store, index, started, on_progress))
        except Exception as exc:  # noqa: BLE001 - reported as the member's failure (or fault)
            out.append(Trained(failure(member.key, cycle, member.run_id, exc, started), None))
    return out


def _one(study, cycle, member, start, store, index, started, on_progress) -> Trained:
    job = cycle_job(study, cycle, schedule=member.schedule, start=start)
    rid = run_id(job, start.digest())
    if member.run_id is not None and rid != member.run_id:
        raise RuntimeError(f"the job's run id {rid[:12]} is not the planned {member.run_id[:12]}")
    note = None
    try:
        hit = index.get(rid)
        state = None if hit is None or hit["artifact"] is None else store.get(hit["artifact"])
    except ArtifactError as e:  # quarantined by the store or the index: trained again below
        hit, note = None, f"{e}; trained again"
    if hit is not None:
        record = CycleRecord(**hit["record"])
        status = "diverged" if record.diverged else "complete"
        result = MemberResult(
            member.key, cycle, rid, status, record, hit["artifact"], True, started_at=started
        )
        return Trained(result, state)
    note_training(rid)
    hook = None
    if on_progress is not None:

        def hook(done: int, total: int, metrics: dict) -> None:
            on_progress(member, done, total, metrics)

    trained = train_cycle(job, start, on_progress=hook)
    artifact = None if trained.state is None else store.put(trained.state)
    index.put(rid, trained.record.to_dict(), artifact)
    status = "diverged" if trained.record.diverged else "complete"
    result = MemberResult(
        member.key, cycle, rid, status, trained.record, artifact, False, started_at=started,
        note=note,
    )  # fmt: skip
    return Trained(result, trained.state)
