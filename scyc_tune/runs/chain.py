"""The chain loop: the only code that walks initial state -> train -> prune -> train, for one
chain (``walk``) or several in lock step (``walk_lockstep``: a comparison's rows x seeds, one
population per cycle).

``walk`` hands each cycle's start state to a step that trains it (in process, in a Ray trial,
or as a whole grid of Ray trials whose winner carries forward) and prunes whatever trained
state the step returns into the next cycle's start. ``run_pruning`` is the in-process chain of
``scyc-tune prune``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from scyc_tune.engine import (
    CycleRecord,
    CycleResult,
    CycleState,
    cycle_job,
    initial_state,
    next_start_state,
    resolve_device,
    train_cycle,
)
from scyc_tune.engine.train import ProgressCallback
from scyc_tune.study import Study

Step = Callable[[int, CycleState], CycleState | None]
"""``step(m, start)``: train cycle m from ``start``; the trained state to carry forward, or
None to end the chain (diverged, failed, or the last cycle)."""

LockstepStep = Callable[[int, dict[int, CycleState]], dict[int, CycleState | None]]
"""``step(m, starts)``: train cycle m of each chain i in ``starts`` (chain -> start state);
for each, the trained state to carry forward or None to end that chain."""


def walk(
    study: Study,
    cycles: range,
    step: Step,
    start: CycleState | None = None,
    device: torch.device | str = "cpu",
) -> None:
    """Run ``step`` for cycles ``cycles.start`` .. ``cycles.stop - 1``. The first cycle starts
    from ``start`` (default: the study's initialisation, for cycle 0); every later one from the
    previous step's trained state, pruned (and rewound) by the study's method. One chain of
    ``walk_lockstep``."""
    walk_lockstep(
        study,
        cycles,
        [study.seed],
        lambda m, starts: {0: step(m, starts[0])},
        None if start is None else [start],
        device,
    )


def walk_lockstep(
    study: Study,
    cycles: range,
    seeds: Sequence[int],
    step: LockstepStep,
    starts: Sequence[CycleState] | None = None,
    device: torch.device | str = "cpu",
) -> None:
    """Advance chains i = 0 .. len(seeds) - 1 together, cycle by cycle: chain i starts from
    ``starts[i]`` (default: the initialisation of seed ``seeds[i]``) and is pruned between
    cycles by its own trained state and mask (with its seed, for the methods that draw). A
    chain whose step returned None is done; the walk ends when every chain is."""
    if starts is not None and len(starts) != len(seeds):
        raise ValueError(f"{len(starts)} start states for {len(seeds)} chains")
    states = {
        i: starts[i] if starts is not None else initial_state(study.data, study.model, seed)
        for i, seed in enumerate(seeds)
    }
    trained: dict[int, CycleState | None] = {}
    for m in cycles:
        if m > cycles.start:
            states = {
                i: next_start_state(
                    state,
                    study.pruning,
                    study.data,
                    study.model,
                    seeds[i],
                    batch_size=study.training.batch_size,
                    device=device,
                )
                for i, state in trained.items()
                if state is not None
            }
            if not states:
                return
        trained = step(m, states)


def run_pruning(
    study: Study,
    schedule_label: str | None = None,
    cycles: int | None = None,
    device: torch.device | str | None = None,
    on_cycle_start: Callable[[int, int], None] | None = None,
    on_progress: ProgressCallback | None = None,
    on_cycle_end: Callable[[CycleResult], None] | None = None,
) -> list[CycleRecord]:
    """Run ``cycles`` cycles (default: the study's), m = 0 .. L-1, in this process, storing
    nothing, and return their records. Stops after a cycle that diverges (there is no trained
    state to prune); its record is the last one returned, marked diverged."""
    n_cycles = study.pruning.cycles if cycles is None else cycles
    device = resolve_device(study.training.device) if device is None else torch.device(device)
    records: list[CycleRecord] = []
    trained_0: list[CycleState] = []  # auto's reference: the trained unpruned network

    def step(m: int, state: CycleState) -> CycleState | None:
        if on_cycle_start is not None:
            on_cycle_start(m, n_cycles)
        reference = trained_0[0] if trained_0 else None
        job = cycle_job(study, m, schedule_label, start=state, device=device, reference=reference)
        result = train_cycle(job, state, device, on_progress)
        if m == 0 and result.state is not None:
            trained_0.append(result.state)
        records.append(result.record)
        if on_cycle_end is not None:
            on_cycle_end(result)
        return result.state

    walk(study, range(n_cycles), step, device=device)
    return records
