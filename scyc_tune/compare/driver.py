"""`compare`: run every row of the comparison for N seeds on Ray Tune, storing each cycle.

One Ray Tune trial per (row, seed) run that is not yet stored in full. The driver is the only
writer of the database: each cycle a worker reports is committed as it arrives, so a killed
driver or worker loses at most the cycles being trained, and those that finished are found in
the run index by the next run (a rerun trains nothing twice).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("RAY_AIR_NEW_OUTPUT", "0")

from ray import tune  # noqa: E402
from ray.tune import Callback  # noqa: E402

from scyc_tune.compare.keys import cycle_keys  # noqa: E402
from scyc_tune.compare.rows import CompareRow, Plan, plan_rows  # noqa: E402
from scyc_tune.compare.trainable import chain_spec, run_compare_chain  # noqa: E402
from scyc_tune.errors import ScycError  # noqa: E402
from scyc_tune.fit.oracle_fit import load_oracle  # noqa: E402
from scyc_tune.oracle.ray_runner import RayOptions, ensure_ray  # noqa: E402
from scyc_tune.store import CompareRunRow, OracleDB  # noqa: E402
from scyc_tune.study import Study  # noqa: E402


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
    n = study.compare.seeds if seeds is None else seeds
    return tuple(study.seed + k for k in range(n))


def load_comparison(
    db: OracleDB, study: Study, study_id: int, seeds: int | None = None, cycles: int | None = None
) -> Comparison:
    """What is stored of the comparison (trains nothing); rows the oracle or fit do not allow
    yet are listed in ``plan.missing``."""
    try:
        oracle = load_oracle(db, study)
    except ScycError:  # no finished oracle cycle: the oracle-derived rows are missing
        oracle = []
    plan = plan_rows(study, oracle, db.fits_of(study_id), cycles)
    stored = db.compare_runs_of(study_id)
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
    artifact_dir: Path,
    ray: RayOptions,
    seeds: int | None = None,
    cycles: int | None = None,
    on_start: Callable[[int, int], None] | None = None,
    on_cycle: CycleCallback | None = None,
    on_lost: Callable[[CompareRow, int], None] | None = None,
    on_failed: Callable[[CompareRow, int, str], None] | None = None,
) -> Comparison:
    """Run the missing cycles of every (row, seed) and return the whole comparison.
    ``on_start(total, done)`` counts cycles; ``on_cycle`` follows each stored cycle."""
    comp = load_comparison(db, study, study_id, seeds, cycles)
    n = comp.plan.cycles
    # runs with equal schedules (LR-warmup-2 tuned to LR-warmup-1's max_lr, say) train once
    todo: dict[str, tuple[str, list[tuple[CompareRow, int]]]] = {}
    for row in comp.plan.rows:
        for seed in comp.seeds:
            if not comp.complete(row, seed):
                spec = chain_spec(seed, row.schedules)
                chain = hashlib.sha256(spec.encode()).hexdigest()[:16]
                todo.setdefault(chain, (spec, []))[1].append((row, seed))
    total = len(comp.plan.rows) * len(comp.seeds) * n
    done = sum(
        n if comp.complete(row, seed) else len(comp.cycles_of(row, seed))
        for row in comp.plan.rows
        for seed in comp.seeds
    )
    if on_start:
        on_start(total, done)
    if not todo:
        return comp

    def on_result(result: dict) -> None:
        if "failed" in result:
            for row, seed in todo[result["chain"]][1]:
                comp.failed.append(f"{row.label} seed {seed}: {result['failed']}")
                if on_failed:
                    on_failed(row, seed, result["failed"])
            return
        m = int(result["cycle"])
        record = json.loads(result["record_json"])
        shared = False
        for row, seed in todo[result["chain"]][1]:
            key = cycle_keys(study, seed, row.schedules[: m + 1])[m]
            stored = db.record_compare_run(
                study_id,
                key,
                row.label,
                seed,
                m,
                result["run_id"],
                record,
                result["artifact"],
                bool(result["reused"]),
            )
            cycles_so_far = comp.runs.setdefault((row.label, seed), [])
            if len(cycles_so_far) == m:
                cycles_so_far.append(stored)
                if on_cycle:
                    # runs sharing one chain train it once: the others count as loaded
                    on_cycle(row, seed, stored, bool(result["reused"]) or shared)
            shared = True

    def on_error(chain: str) -> None:
        for row, seed in todo[chain][1]:
            comp.lost.append(f"{row.label} seed {seed}")
            if on_lost:
                on_lost(row, seed)

    ensure_ray(ray.address)
    trainable = tune.with_parameters(
        run_compare_chain,
        chains={c: spec for c, (spec, _) in todo.items()},
        study_json=study.model_dump_json(),
        artifact_root=str(artifact_dir.resolve()),
        threads=max(1, int(ray.cpus_per_trial)),
    )
    trainable = tune.with_resources(
        trainable, {"cpu": ray.cpus_per_trial, "gpu": ray.gpus_per_trial}
    )
    tuner = tune.Tuner(
        trainable,
        param_space={"chain": tune.grid_search(sorted(todo))},
        tune_config=tune.TuneConfig(
            num_samples=1, reuse_actors=True, max_concurrent_trials=ray.max_concurrent
        ),
        run_config=tune.RunConfig(
            name=f"{study.name}-compare-{next(iter(sorted(todo)))[:8]}",
            storage_path=str(ray.results_dir.resolve()),
            verbose=0,
            callbacks=[_Relay(on_result, on_error)],
            failure_config=tune.FailureConfig(max_failures=0),
        ),
    )
    tuner.fit()
    return comp


class _Relay(Callback):
    """Hands every reported cycle to the driver as it happens."""

    def __init__(self, on_result: Callable[[dict], None], on_error: Callable[[str], None]):
        self.on_result = on_result
        self.on_error = on_error

    def __getstate__(self) -> dict:
        return {}  # Tune pickles callbacks into its experiment state; ours hold live objects

    def on_trial_result(self, iteration, trials, trial, result, **info):
        self.on_result(result)

    def on_trial_error(self, iteration, trials, trial, **info):
        self.on_error(trial.config["chain"])
