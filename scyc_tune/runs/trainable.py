"""The one Ray Tune trainable: a trial trains the populations its plan gives it and reports
one ``MemberResult`` per member as soon as it exists. A pure function of its inputs.

A plan (``TrialPlan``) turns a trial's config into its ``TrialWork``: a grid point of the
oracle is one cycle from a shared start state; a fit trial is a chain of cycles from the
initialisation, and a comparison trial several chains (rows x seeds) in lock step, one
population per cycle. Start states arrive through Ray's object store, trained states
go to the content-addressed artifact store, whose root every worker reaches; the worker never
opens the database: the driver writes what it reports.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import torch
from ray import tune

from scyc_tune.data import Pooled
from scyc_tune.data.load import prime
from scyc_tune.engine import CycleState, resolve_device
from scyc_tune.runs.chain import walk_lockstep
from scyc_tune.runs.population import Member, train_population
from scyc_tune.runs.result import Progress, encode, encode_checkpoint, encode_progress, failure
from scyc_tune.study import Study
from scyc_tune.study.specs import DataSpec


@dataclass(frozen=True)
class TrialWork:
    key: str  # the trial's name for its work, in every report
    study: Study  # a member without a seed of its own has the study's
    cycles: range  # the cycle indices, one population each
    populations: Sequence[Sequence[Member]]  # over several cycles: member i is chain i
    start: CycleState | None = None  # every member's first start (None: its initialisation)
    starts: Sequence[CycleState] | None = None  # or chain i's own first start
    progress: bool = False  # report the evaluations inside a cycle (for ASHA)
    last_k: int | None = None  # each chain's last report's score: mean val_acc, last k cycles

    def __post_init__(self) -> None:
        if len(self.populations) != len(self.cycles):
            raise ValueError(f"{len(self.populations)} populations for {len(self.cycles)} cycles")
        if len({len(p) for p in self.populations}) > 1:
            raise ValueError("every cycle's population has one member per chain")
        if self.starts is not None and len(self.starts) != len(self.populations[0]):
            raise ValueError(f"{len(self.starts)} start states for {len(self.populations[0])}")

    @property
    def seeds(self) -> list[int]:
        """Chain i's seed."""
        return [self.study.seed if m.seed is None else m.seed for m in self.populations[0]]


class TrialPlan(Protocol):
    study: Study  # its data are handed to the workers once (``data.load.prime``)

    def work(self, config: dict[str, Any]) -> TrialWork: ...


def train_trial(
    config: dict[str, Any],
    *,
    plan: TrialPlan,
    artifact_root: str,
    threads: int,
    data: tuple[DataSpec, Pooled] | None = None,
) -> None:
    """Train ``plan.work(config)``. An exception is reported as the trial's failure (type,
    message, where; ``errors.describe``), never raised, so the driver tells a failure that
    recurs on every run from a worker that died; Tune's own exceptions (a stop) pass through."""
    torch.set_num_threads(max(1, threads))
    if data is not None:  # the driver's pooled dataset: not generated or decoded again here
        prime(*data)
    reporting = [False]

    def report(d: dict, checkpoint: tune.Checkpoint | None = None) -> None:
        reporting[0] = True
        tune.report(d, checkpoint=checkpoint)
        reporting[0] = False

    key, cycle = str(config.get("key", "?")), -1
    try:
        work = plan.work(config)
        key, cycle = work.key, work.cycles.start
        device = resolve_device(work.study.training.device, assigned=_ray_gpus())
        _run(work, artifact_root, report, device, resumed())
    except Exception as exc:  # noqa: BLE001 - reported, see the docstring
        if reporting[0]:
            raise
        report(encode(failure(key, cycle, None, exc), final=True, last_cycle=False, score=None))


def _ray_gpus() -> list | None:
    """The GPUs Ray gave this trial, or None outside a Ray worker."""
    import ray

    return list(ray.get_gpu_ids()) if ray.is_initialized() else None


CHECKPOINT_FILE = "member.pt"


def resumed() -> dict[str, dict]:
    """The snapshot of this trial's last checkpoint (run id -> snapshot; empty for a trial's
    first start): a trial Ray restarts after losing its worker resumes from it."""
    checkpoint = tune.get_checkpoint()
    if checkpoint is None:
        return {}
    with checkpoint.as_directory() as folder:
        return torch.load(Path(folder) / CHECKPOINT_FILE, map_location="cpu", weights_only=False)


def _run(
    work: TrialWork,
    artifact_root: str,
    report,
    device: torch.device,
    resume: dict[str, dict] | None = None,
) -> None:
    """Walk the work's chains in lock step, one population per cycle, reporting each member as
    its population ends; the trial's last report is marked final. A member's mid-cycle
    snapshots go to Ray Tune as checkpoints (with the next evaluation's report when Tune sees
    the evaluations, for ASHA, so its count of reports is unchanged; else on their own)."""
    accs: dict[int, list[float]] = {}
    last = work.cycles.stop - 1
    pending: list[tuple[tempfile.TemporaryDirectory, tune.Checkpoint]] = []  # for ASHA

    def on_checkpoint(member: Member, rid: str, snapshot: dict) -> None:
        folder = tempfile.TemporaryDirectory(prefix="scyc-checkpoint-")
        torch.save({rid: snapshot}, Path(folder.name) / CHECKPOINT_FILE)
        checkpoint = tune.Checkpoint.from_directory(folder.name)
        if work.progress:
            pending.append((folder, checkpoint))  # reported with the evaluation that follows
            return
        with folder:  # Tune has persisted it once report returns
            report(encode_checkpoint(member.key, rid, snapshot["done"]), checkpoint=checkpoint)

    def on_progress(member: Member, done: int, total: int, metrics: dict) -> None:
        if done < total:
            folder, checkpoint = pending.pop() if pending else (None, None)
            report(encode_progress(Progress(member.key, float(metrics["val_acc"]), done)),
                   checkpoint=checkpoint)  # fmt: skip
            if folder is not None:  # Tune has persisted it
                folder.cleanup()

    def step(m: int, starts: dict[int, CycleState]) -> dict[int, CycleState | None]:
        population = work.populations[m - work.cycles.start]
        chains = sorted(starts)
        states = [starts[i] for i in chains]
        if all(s is states[0] for s in states):  # one shared start (the oracle's): digest once
            states = states[:1]
        hook = on_progress if work.progress else None
        trained = train_population(
            work.study, m, [population[i] for i in chains], states, artifact_root, hook,
            device=device, on_checkpoint=on_checkpoint, resume=resume,
        )  # fmt: skip
        carry = {
            i: None if m == last or t.result.status != "complete" else t.state
            for i, t in zip(chains, trained, strict=True)
        }
        ends = all(state is None for state in carry.values())
        for j, (i, t) in enumerate(zip(chains, trained, strict=True)):
            r = t.result
            if r.record is not None:
                accs.setdefault(i, []).append(r.val_acc)
            final = ends and j == len(trained) - 1
            score = None
            ended = carry[i] is None  # the chain's last report carries its score
            if ended and work.last_k and r.status not in ("failed", "fault") and accs.get(i):
                tail = accs[i][-work.last_k :]
                score = sum(tail) / len(tail)
            report(encode(r, final=final, last_cycle=m == last, score=score))
        return carry

    starts = work.starts
    if starts is None and work.start is not None:
        starts = [work.start] * len(work.seeds)
    walk_lockstep(work.study, work.cycles, work.seeds, step, starts)
