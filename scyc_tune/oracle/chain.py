"""One iterative-pruning run as a chain of cycles, each loaded from the run index when it was
already trained with the same inputs (by the oracle, a fit trial or a comparison), else trained
and indexed. Runs on a Ray worker: it reads and writes the artifact directory, never the
database.

Cycle m is named by ``run_id(job, start.digest())`` like the oracle's grid points, so a chain
whose start state and schedule at cycle m equal an oracle grid point's reuses that training.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from scyc_tune.engine import CycleState, cycle_job, initial_state, next_start_state, train_cycle
from scyc_tune.errors import describe
from scyc_tune.oracle.runid import run_id
from scyc_tune.oracle.trainable import note_training
from scyc_tune.schedules import ScheduleParams
from scyc_tune.store import ArtifactStore
from scyc_tune.store.runs import RunIndex
from scyc_tune.study import Study


@dataclass(frozen=True)
class ChainCycle:
    cycle: int
    run_id: str
    record: dict  # CycleRecord.to_dict()
    artifact: str | None  # the trained state's key (None: diverged)
    reused: bool  # loaded from the run index instead of trained

    @property
    def diverged(self) -> bool:
        return bool(self.record["diverged"])


def run_chain(
    study: Study, schedules: Sequence[ScheduleParams], artifact_root: str
) -> Iterator[ChainCycle]:
    """Cycles m = 0 .. len(schedules) - 1 of ``study`` (its seed), cycle m trained with
    ``schedules[m]``. Stops after a diverged cycle (nothing to prune)."""
    store = ArtifactStore(artifact_root)
    index = RunIndex(artifact_root)
    trained: CycleState | None = None
    for m, schedule in enumerate(schedules):
        if m == 0:
            state = initial_state(study.data, study.model, study.seed)
        else:
            state = next_start_state(
                trained,
                study.pruning,
                study.data,
                study.model,
                study.seed,
                batch_size=study.training.batch_size,
            )
        job = cycle_job(study, m, schedule=schedule, start=state)
        rid = run_id(job, state.digest())
        hit = index.get(rid)
        if hit is not None and (hit["artifact"] is None or store.exists(hit["artifact"])):
            record, artifact = hit["record"], hit["artifact"]
            trained = None if artifact is None else store.get(artifact)
            reused = True
        else:
            note_training(rid)
            result = train_cycle(job, state)
            record = result.record.to_dict()
            artifact = None if result.state is None else store.put(result.state)
            index.put(rid, record, artifact)
            trained = result.state
            reused = False
        step = ChainCycle(m, rid, record, artifact, reused)
        yield step
        if step.diverged or trained is None:
            return


def guarded(steps: Iterator[ChainCycle]) -> Iterator[ChainCycle | str]:
    """The chain's cycles, then, if computing one raised, ``errors.describe`` of the exception
    as the last item. The trainables report it as their final result, so the driver tells a
    failure that recurs on every run from a worker that died; exceptions raised by the caller
    while it handles a cycle (Tune stopping a trial) are not caught."""
    while True:
        try:
            step = next(steps)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - handed to the caller as its description
            yield describe(exc)
            return
        yield step
