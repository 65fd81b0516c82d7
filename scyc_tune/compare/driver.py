"""`compare`: run every row of the comparison for N seeds on Ray Tune, storing each cycle.

Each (row, seed) run not yet stored in full is a chain; one Ray Tune trial advances a
population of chains in lock step (``compare.chain_plan``). The driver is the only
writer of the database: each cycle a worker reports is committed as it arrives, so a killed
driver or worker loses at most the cycles being trained, and those that finished are found in
the run index by the next run (a rerun trains nothing twice).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from scyc_tune.compare.chain_plan import Chain, ChainPlan, chain_key
from scyc_tune.compare.keys import cycle_keys
from scyc_tune.compare.rows import BENCHMARK, CompareRow, Plan, plan_rows
from scyc_tune.compare.tuning import tuned, tuning_runs
from scyc_tune.errors import ScycError
from scyc_tune.oracle.load import load_oracle, oracle_seeds
from scyc_tune.runs.launch import RayOptions, launch
from scyc_tune.runs.packing import pack, population_size
from scyc_tune.runs.result import MemberResult
from scyc_tune.store import CompareRunRow, OracleDB
from scyc_tune.store.entries import CompareEntry
from scyc_tune.study import Study


@dataclass
class Comparison:
    plan: Plan
    seeds: tuple[int, ...]
    runs: dict[tuple[str, int], list[CompareRunRow]]  # (row label, seed) -> cycles stored so far
    lost: list[str] = field(default_factory=list)  # runs whose worker died (retried next time)
    failed: list[str] = field(default_factory=list)  # "row seed s: error" for runs that raised

    def cycles_of(self, row: CompareRow, seed: int) -> list[CompareRunRow]:
        return self.runs.get((row.label, seed), [])

    def complete(self, row: CompareRow, seed: int) -> bool:
        """Every cycle stored, or the run ended with a diverged cycle."""
        cycles = self.cycles_of(row, seed)
        return len(cycles) == self.plan.cycles or bool(cycles and cycles[-1].diverged)


def seeds_of(study: Study, seeds: int | None) -> tuple[int, ...]:
    """The comparison's N seeds: after the oracle's R (seed+R .. seed+R+N-1) when held out,
    so that nothing tuned or fitted on the oracle's seeds is judged on them; else from the
    study seed."""
    n = study.compare.seeds if seeds is None else seeds
    first = study.seed + (len(oracle_seeds(study)) if study.compare.held_out else 0)
    return tuple(first + k for k in range(n))


def load_comparison(
    db: OracleDB, study: Study, study_id: int, seeds: int | None = None
) -> Comparison:
    """What is stored of the comparison (trains nothing); rows the oracle or fit do not allow
    yet are listed in ``plan.missing``."""
    try:
        oracle = load_oracle(db, study)
    except ScycError:  # no finished oracle cycle: the oracle-derived rows are missing
        oracle = []
    stored = db.comparisons.of(study_id)
    plan = plan_rows(study, oracle, db.fits.of(study_id), tuned(study, stored))
    runs = {}
    for row in plan.rows:
        for seed in seeds_of(study, seeds):
            runs[(row.label, seed)] = _stored_prefix(study, seed, row, stored)
    return Comparison(plan, seeds_of(study, seeds), runs)


def _stored_prefix(study, seed, row, stored) -> list[CompareRunRow]:
    out = []
    for key in cycle_keys(study, seed, row.schedules):
        hit = stored.get(key)
        if hit is None:
            break
        out.append(hit)
        if hit.diverged:
            break
    return out


CycleCallback = Callable[[CompareRow, int, CompareRunRow, bool], None]
"""``on_cycle(row, seed, stored, reused)``: reused is True when nothing was trained for it."""


def run_compare(
    study: Study,
    study_id: int,
    db: OracleDB,
    artifact_dir: str | Path,
    ray: RayOptions,
    seeds: int | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_cycle: CycleCallback | None = None,
    on_lost: Callable[[CompareRow, int], None] | None = None,
    on_failed: Callable[[CompareRow, int, str], None] | None = None,
    on_tuning: Callable[[int, int], None] | None = None,
) -> Comparison:
    """Tune the benchmarks' LR (``compare.tuning``), then run the missing cycles of every
    (row, seed) and return the whole comparison. ``on_tuning(total, done)`` and
    ``on_start(total, done)`` count the two phases' cycles; ``on_cycle`` follows each stored
    cycle (a tuning run's row is labelled 'constant@0.08')."""
    callbacks = (on_cycle, on_lost, on_failed)
    with db.leases.hold(study_id, "compare"):  # a second comparison driver is refused
        tuning = _tuning_comparison(db, study, study_id)
        on_tune = on_tuning if tuning.plan.rows else None
        _run_chains(study, study_id, db, artifact_dir, ray, tuning, on_tune, callbacks, "tune")
        comp = load_comparison(db, study, study_id, seeds)
        comp.lost[:0], comp.failed[:0] = tuning.lost, tuning.failed
        _run_chains(study, study_id, db, artifact_dir, ray, comp, on_start, callbacks, "compare")
    return comp


def _tuning_comparison(db: OracleDB, study: Study, study_id: int) -> Comparison:
    """The tuning runs as a comparison of one-cycle rows at the study seed."""
    stored = db.comparisons.of(study_id)
    rows = tuple(
        CompareRow(r.row_label, r.row_label, BENCHMARK, (r.schedule,), "tuning")
        for r in tuning_runs(study)
    )
    runs = {(row.label, study.seed): _stored_prefix(study, study.seed, row, stored) for row in rows}
    return Comparison(Plan(rows, 1, ()), (study.seed,), runs)


def _run_chains(study, study_id, db, artifact_dir, ray, comp, on_start, callbacks, phase) -> None:
    """Train the cycles ``comp`` lacks, one Ray Tune trial per population of chains."""
    n = comp.plan.cycles
    # runs with equal schedules (LR-warmup-2 tuned to LR-warmup-1's max_lr, say) train once
    todo: dict[str, tuple[Chain, list[tuple[CompareRow, int]]]] = {}
    for row in comp.plan.rows:
        for seed in comp.seeds:
            if not comp.complete(row, seed):
                chain = Chain(seed, tuple(row.schedules))
                todo.setdefault(chain_key(seed, row.schedules), (chain, []))[1].append((row, seed))
    total = len(comp.plan.rows) * len(comp.seeds) * n
    done = sum(
        n if comp.complete(row, seed) else len(comp.cycles_of(row, seed))
        for row in comp.plan.rows
        for seed in comp.seeds
    )
    if on_start:
        on_start(total, done)
    if not todo:
        return
    keys = sorted(todo)
    groups = pack(keys, population_size(study.compare.population, ray, len(keys)))
    events = _ChainEvents(study, study_id, db, comp, todo, groups, *callbacks)
    launch(
        f"{study.name}-{phase}-{keys[0][:8]}",
        ChainPlan(study, {key: chain for key, (chain, _) in todo.items()}, groups),
        artifact_root=artifact_dir,
        options=ray,
        keys=list(groups),
        events=events,
    )


class _ChainEvents:
    """Stores every cycle a run reports as it arrives, for every (row, seed) of its chain."""

    def __init__(self, study, study_id, db, comp, todo, groups, on_cycle, on_lost, on_failed):
        self.study, self.study_id, self.db, self.comp, self.todo = study, study_id, db, comp, todo
        self.groups = groups  # trial key -> its chains' keys
        self.on_cycle, self.on_lost, self.on_failed = on_cycle, on_lost, on_failed

    def _runs(self, key: str) -> list[tuple[CompareRow, int]]:
        """The (row, seed) runs of a chain key, or of every chain of a trial key (a trial that
        failed before its chains began reports under its own key)."""
        if key in self.todo:
            return self.todo[key][1]
        return [run for chain in self.groups.get(key, []) for run in self.todo[chain][1]]

    def started(self, key: str) -> None:
        pass

    def stopped(self, key: str) -> None:
        pass  # no scheduler stops comparison runs

    def reported(self, r: MemberResult) -> None:
        runs = self._runs(r.key)
        if r.status == "failed":
            for row, seed in runs:
                self.comp.failed.append(f"{row.label} seed {seed}: {r.error}")
                if self.on_failed:
                    self.on_failed(row, seed, r.error)
            return
        m, record = r.cycle, r.record.to_dict()
        shared = False
        for row, seed in runs:
            key = cycle_keys(self.study, seed, row.schedules[: m + 1])[m]
            entry = CompareEntry(key, row.label, seed, m, r.run_id, record, r.artifact, r.reused)
            stored = self.db.comparisons.record(self.study_id, entry)
            cycles_so_far = self.comp.runs.setdefault((row.label, seed), [])
            if len(cycles_so_far) == m:
                cycles_so_far.append(stored)
                if self.on_cycle:
                    # runs sharing one chain train it once: the others count as loaded
                    self.on_cycle(row, seed, stored, r.reused or shared)
            shared = True

    def lost(self, key: str) -> None:
        for row, seed in self._runs(key):
            if self.comp.complete(row, seed):  # ended (diverged) before the worker died
                continue
            self.comp.lost.append(f"{row.label} seed {seed}")
            if self.on_lost:
                self.on_lost(row, seed)
