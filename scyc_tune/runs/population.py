"""A population: the members of one cycle, each a cycle job from a start state (one shared by
all, as the oracle's grid points, or its own). Each member is loaded from the run index when a
cycle with its run id was trained before (by any command), else trained, stored and indexed.

The members of the fused engine (``[training] engine = "fused"``) are trained together as one
stacked model; the others one after another. A member
that raises is reported failed (or 'fault', when the environment is to blame: a full disk, a
read-only store) and the others go on.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import torch

from scyc_tune.engine import CycleJob, CycleRecord, CycleState, cycle_job, train_cycle
from scyc_tune.engine.fused import engine_of
from scyc_tune.engine.fused import train_population as fused_population
from scyc_tune.runs.identity import note_training, run_id
from scyc_tune.runs.reference import trained_reference
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
    seed: int | None = None  # its own seed (a comparison chain's); default: the study's


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
    device: torch.device | None = None,
    on_checkpoint: Callable[[Member, str, dict], None] | None = None,
    resume: dict[str, dict] | None = None,
) -> list[Trained]:
    """Cycle ``cycle`` of each member from ``starts[i]`` (or ``starts[0]`` for all), on
    ``device`` (default: the study's ``training.device``).

    Members already in the run index are loaded; the others are trained, those of the fused
    engine (``engine.fused.engine_of``) together as one stacked model, the rest one by one.
    Members with the same run id (two fit trials that agree so far) are trained once; the
    others get that result as reused. The engines hand ``on_checkpoint(member, key, snapshot)``
    their mid-cycle snapshots, and the training whose key is in ``resume`` continues from that
    snapshot: the single engine's key is the member's run id, the fused engine's
    ``fused_key`` of its members' run ids (one snapshot for the stacked model)."""
    store, index = ArtifactStore(artifact_root), RunIndex(artifact_root)
    out: list[Trained | None] = [None] * len(members)
    todo: list[_Todo] = []
    twins: dict[int, _Todo] = {}  # member -> the member of the same run id that trains for it
    for i, member in enumerate(members):
        start = starts[i] if len(starts) > 1 else starts[0]
        started = time.time()
        try:
            found = _lookup(study, cycle, i, member, start, store, index, started)
        except Exception as exc:  # noqa: BLE001 - reported as the member's failure (or fault)
            out[i] = Trained(failure(member.key, cycle, member.run_id, exc, started), None)
            continue
        if isinstance(found, Trained):
            out[i] = found
        elif (twin := next((t for t in todo if t.rid == found.rid), None)) is not None:
            twins[i] = twin  # the same cycle twice in one population is trained once
        else:
            todo.append(found)
    fused = [t for t in todo if engine_of(t.job) == "fused"]
    groups = ([fused] if fused else []) + [[t] for t in todo if engine_of(t.job) != "fused"]
    for group in groups:
        try:
            results = _train(group, on_progress, device, on_checkpoint, resume or {})
        except Exception as exc:  # noqa: BLE001 - every member of the group failed with it
            for t in group:
                out[t.index] = Trained(failure(t.member.key, cycle, t.rid, exc, t.started), None)
            continue
        for t, trained in zip(group, results, strict=True):
            try:
                out[t.index] = _stored(t, trained, cycle, store, index)
            except Exception as exc:  # noqa: BLE001 - as above
                out[t.index] = Trained(failure(t.member.key, cycle, t.rid, exc, t.started), None)
    for i, twin in twins.items():
        done = out[twin.index]
        result = replace(
            done.result, key=members[i].key, reused=done.result.status in ("complete", "diverged")
        )
        out[i] = Trained(result, done.state)
    return [t for t in out if t is not None]


@dataclass(frozen=True)
class _Todo:
    index: int
    member: Member
    start: CycleState
    job: CycleJob
    rid: str
    note: str | None
    started: float


def _lookup(study, cycle, i, member, start, store, index, started) -> Trained | _Todo:
    """The member as loaded from the run index, else what training it needs."""
    if member.seed is not None and member.seed != study.seed:
        study = study.model_copy(update={"seed": member.seed})
    reference = None
    if cycle > 0 and member.schedule.needs_reference:
        reference = trained_reference(study, member.schedule, store, index)
    job = cycle_job(study, cycle, schedule=member.schedule, start=start, reference=reference)
    rid = run_id(job, start.digest())
    if member.run_id is not None and rid != member.run_id:
        raise RuntimeError(f"the job's run id {rid[:12]} is not the planned {member.run_id[:12]}")
    note = None
    try:
        hit = index.get(rid)
        state = None if hit is None or hit["artifact"] is None else store.get(hit["artifact"])
    except ArtifactError as e:  # quarantined by the store or the index: trained again
        hit, note = None, f"{e}; trained again"
    if hit is None:
        return _Todo(i, member, start, job, rid, note, started)
    record = CycleRecord(**hit["record"])
    status = "diverged" if record.diverged else "complete"
    result = MemberResult(
        member.key, cycle, rid, status, record, hit["artifact"], True, started_at=started
    )
    return Trained(result, state)


def _train(group: Sequence[_Todo], on_progress, device, on_checkpoint, resume) -> list:
    """The CycleResults of ``group``: one stacked model if fused, else train_cycle."""
    if engine_of(group[0].job) == "fused":
        key = fused_key([t.rid for t in group])
        snapshot = resume.get(key)
        for t in group:
            note_training(t.rid if snapshot is None else f"{t.rid}@{snapshot['done']}")
        hook = keep = None
        if on_progress is not None:

            def hook(k: int, done: int, total: int, metrics: dict) -> None:
                on_progress(group[k].member, done, total, metrics)

        if on_checkpoint is not None:

            def keep(snap: dict) -> None:
                on_checkpoint(group[0].member, key, snap)

        return fused_population(
            [t.job for t in group], [t.start for t in group], device, hook, keep, snapshot
        )
    (t,) = group
    snapshot = resume.get(t.rid)
    note_training(t.rid if snapshot is None else f"{t.rid}@{snapshot['done']}")
    hook = keep = None
    if on_progress is not None:

        def hook(done: int, total: int, metrics: dict) -> None:
            on_progress(t.member, done, total, metrics)

    if on_checkpoint is not None:

        def keep(snap: dict) -> None:
            on_checkpoint(t.member, t.rid, snap)

    return [
        train_cycle(
            t.job, t.start, device=device, on_progress=hook, on_checkpoint=keep, resume=snapshot
        )
    ]


def fused_key(run_ids: Sequence[str]) -> str:
    """The name of a fused population's snapshot: the sha256 of its members' run ids in order
    (the snapshot holds the stacked model of exactly these members)."""
    return hashlib.sha256("\n".join(run_ids).encode()).hexdigest()


def _stored(t: _Todo, trained, cycle, store, index) -> Trained:
    artifact = None if trained.state is None else store.put(trained.state)
    index.put(t.rid, trained.record.to_dict(), artifact)
    status = "diverged" if trained.record.diverged else "complete"
    result = MemberResult(
        t.member.key, cycle, t.rid, status, trained.record, artifact, False,
        started_at=t.started, note=t.note,
    )  # fmt: skip
    return Trained(result, trained.state)
