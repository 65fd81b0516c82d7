"""The greedy oracle: per cycle, grid-search max_lr on Ray Tune, keep the best, prune, repeat.

The driver is the only writer of the database: workers return results, the driver records
each one as it arrives (one transaction per trial), so a kill -9 loses at most the trials that
were running. Trials are named by the hash of their inputs (``run_id``); a re-run skips every
trial and cycle already recorded.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from scyc_tune.engine import CycleState, initial_state, next_start_state
from scyc_tune.errors import ScycError
from scyc_tune.oracle.jobs import grid_jobs, optuna_study_name
from scyc_tune.oracle.ray_runner import RayOptions, run_grid
from scyc_tune.oracle.region import GridPoint, Region, feasible_region, well_tuned
from scyc_tune.oracle.runid import run_id
from scyc_tune.store import ArtifactStore, OracleDB, mirror_trial
from scyc_tune.study import Study


@dataclass
class CycleOutcome:
    cycle: int
    percent_remaining: float
    points: list[GridPoint]
    region: Region | None
    trained_now: int = 0  # grid points trained by this invocation (the rest were stored)
    stopped: list[float] = field(default_factory=list)  # stopped early by ASHA

    @property
    def complete(self) -> bool:
        return self.region is not None


class OracleProgress(Protocol):
    def cycle_started(self, cycle: int, cycles: int, lam: float, total: int, todo: int) -> None: ...
    def trial_event(self, kind: str, max_lr: float, val_acc: float | None) -> None: ...
    def cycle_finished(self, outcome: CycleOutcome) -> None: ...


def run_oracle(
    study: Study,
    study_text: str,
    *,
    storage_url: str,
    artifact_dir: Path,
    ray: RayOptions,
    cycles: int | None = None,
    grid: Sequence[float] | None = None,
    progress: OracleProgress | None = None,
) -> list[CycleOutcome]:
    """Run (or resume) the oracle for cycles m = 0 .. L-1 and return one outcome per cycle."""
    n_cycles = study.pruning.cycles if cycles is None else cycles
    values = sorted(set(grid)) if grid is not None else study.oracle.grid_values()
    db = OracleDB(storage_url)
    artifacts = ArtifactStore(artifact_dir)
    content_hash = hashlib.sha256(study_text.encode()).hexdigest()
    study_id = db.upsert_study(study.name, study_text, content_hash)

    outcomes: list[CycleOutcome] = []
    best_state: CycleState | None = None  # the previous cycle's winner, trained
    for m in range(n_cycles):
        if best_state is None:
            state = initial_state(study.data, study.model, study.seed)
        else:
            state = next_start_state(
                best_state,
                study.pruning,
                study.data,
                study.model,
                study.seed,
                batch_size=study.training.batch_size,
            )
        start_key = artifacts.put(state)
        lam = 100.0 * (1.0 - study.pruning.rate) ** m
        cycle_row = db.upsert_cycle(study_id, m, lam, start_key)
        jobs = grid_jobs(study, m, values)
        ids = {v: run_id(job, start_key) for v, job in jobs.items()}
        by_id = {rid: v for v, rid in ids.items()}
        done = db.trials_for(ids.values())
        todo = {rid: jobs[v].model_dump_json() for v, rid in ids.items() if _needs_run(done, rid)}
        if progress:
            progress.cycle_started(m, n_cycles, lam, len(values), len(todo))
        stopped: list[float] = []
        if todo:
            _run_missing(
                study,
                m,
                cycle_row.id,
                todo,
                by_id,
                state,
                artifacts,
                db,
                storage_url,
                values,
                ray,
                progress,
                stopped,
            )
        rows = db.trials_for(ids.values())
        points = [_point(v, rows.get(ids[v])) for v in values]
        region = feasible_region(points, study.oracle.tolerance)
        outcome = CycleOutcome(m, lam, points, region, len(todo), stopped)
        outcomes.append(outcome)
        failed = [(v, rows[ids[v]].error) for v in values if _failed(rows.get(ids[v]))]
        if failed:
            # a point that raised may have been the best: finishing the cycle without it could
            # change the answer, so the cycle stays open and the next run retries the point
            if progress:
                progress.cycle_finished(outcome)
            v, error = failed[0]
            more = f" (and {len(failed) - 1} more grid points)" if len(failed) > 1 else ""
            raise ScycError(
                f"cycle {m + 1}/{n_cycles} (lambda {lam:.3g}): grid point max_lr {v:g} failed"
                f"{more}: {error or 'no error recorded'}"
            )
        if region is None:
            db.finish_cycle(cycle_row.id, "failed", None, None, None, [], None, None)
            if progress:
                progress.cycle_finished(outcome)
            raise ScycError(
                f"cycle {m + 1}/{n_cycles} (lambda {lam:.3g}): no grid point trained to "
                f"completion ({_summary(points)}); check the grid's max_lr values and the "
                "errors with `scyc-tune status`"
            )
        best = well_tuned(points)
        best_row = rows[ids[best.max_lr]]
        db.finish_cycle(
            cycle_row.id,
            "complete",
            region.well_tuned,
            region.low,
            region.high,
            list(region.values),
            region.contiguous,
            best_row.run_id,
        )
        if progress:
            progress.cycle_finished(outcome)
        best_state = artifacts.get(best_row.artifact)
    return outcomes


def _failed(row) -> bool:
    return row is not None and row.status == "failed"


def _needs_run(done: dict, rid: str) -> bool:
    row = done.get(rid)
    return row is None or row.status in {"failed", "stopped"}


def _point(max_lr: float, row) -> GridPoint:
    if row is None:
        return GridPoint(max_lr, None, "missing")
    return GridPoint(max_lr, row.val_acc, row.status)


def _summary(points: Sequence[GridPoint]) -> str:
    counts: dict[str, int] = {}
    for p in points:
        counts[p.status] = counts.get(p.status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def _run_missing(
    study,
    m,
    cycle_id,
    todo,
    by_id,
    state,
    artifacts,
    db,
    storage_url,
    grid,
    ray,
    progress,
    stopped,
) -> None:
    seed = study.seed

    def on_final(result: dict) -> None:
        rid = result["run_id"]
        record = json.loads(result["record_json"]) if result.get("record_json") else None
        started = datetime.fromtimestamp(result.get("started_at", time.time()), UTC)
        row = db.record_trial(
            cycle_id,
            rid,
            by_id[rid],
            seed,
            result["status"],
            record,
            result.get("error"),
            result.get("artifact"),
            started,
            datetime.now(UTC),
        )
        attrs = {"run_id": rid, "status": row.status, "cycle": m + 1, "cycle_index": m}
        if record:
            attrs.update(
                {
                    k: record[k]
                    for k in (
                        "test_acc",
                        "train_loss",
                        "wall_time",
                        "diverged",
                        "percent_remaining",
                    )
                }
            )
        if result.get("error"):
            attrs["error"] = result["error"]
        ok = row.status in {"complete", "diverged"}
        mirror_trial(
            storage_url,
            optuna_study_name(study, m),
            grid,
            by_id[rid],
            row.val_acc if ok else None,
            "complete" if ok else "fail",
            attrs,
            cycle=m,
            percent_remaining=100.0 * (1.0 - study.pruning.rate) ** m,
            datetime_start=row.started_at,
            datetime_complete=row.finished_at,
        )
        if progress:
            kind = "failed" if row.status == "failed" else "done"
            progress.trial_event(kind, by_id[rid], row.val_acc)

    def on_event(kind: str, rid: str) -> None:
        if kind == "stopped":
            stopped.append(by_id[rid])
            db.record_trial(
                cycle_id,
                rid,
                by_id[rid],
                seed,
                "stopped",
                None,
                "stopped early by ASHA",
                None,
                datetime.now(UTC),
                datetime.now(UTC),
            )
        if progress:
            progress.trial_event(kind, by_id[rid], None)

    name = f"{study.name}-cycle{m}-{next(iter(todo))[:8]}"
    run_grid(name, todo, state.to_dict(), artifacts.root, ray, on_final, on_event)
