"""The greedy oracle: per cycle, grid-search max_lr on Ray Tune, keep the best, prune, repeat.

The driver is the only writer of the database: workers return results, the driver records
each one as it arrives (one transaction per trial), so a kill -9 loses at most the trials that
were running. Trials are named by the hash of their inputs (``run_id``); a re-run skips every
trial and cycle already recorded.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from scyc_tune.engine import CycleState
from scyc_tune.errors import ScycError
from scyc_tune.oracle.grid_plan import GridPlan
from scyc_tune.oracle.jobs import grid_jobs, optuna_study_name
from scyc_tune.oracle.region import feasible_region
from scyc_tune.runs.chain import walk
from scyc_tune.runs.identity import run_id
from scyc_tune.runs.launch import RayOptions, launch
from scyc_tune.runs.packing import pack, population_size
from scyc_tune.runs.result import MemberResult
from scyc_tune.schedules.base import percent_remaining
from scyc_tune.store import ArtifactStore, OracleDB, mirror_trial
from scyc_tune.store.answer import GridPoint, OracleAnswer
from scyc_tune.store.artifacts import ArtifactError
from scyc_tune.store.entries import TrialEntry
from scyc_tune.store.tables import RETRYABLE_TRIAL_STATUSES
from scyc_tune.study import Study

#: launches of a cycle's unfinished grid points after the first, for points lost with their
#: worker (a killed or crashed Ray worker); a point still lost after them stops the command
LOST_RETRIES = 2


@dataclass(frozen=True)
class CycleOutcome:
    """What this invocation did for one cycle: the oracle's answer, and how it got there."""

    answer: OracleAnswer
    trained_now: int = 0  # grid points trained by this invocation (the rest were stored)
    stopped: tuple[float, ...] = ()  # stopped early by ASHA
    lost: int = 0  # grid points lost with their worker and trained again by this invocation
    loaded: int = 0  # grid points this invocation found trained in the run index


class OracleProgress(Protocol):
    def cycle_started(self, cycle: int, cycles: int, lam: float, total: int, todo: int) -> None: ...
    def trial_event(self, kind: str, max_lr: float, val_acc: float | None) -> None: ...
    def cycle_finished(self, outcome: CycleOutcome) -> None: ...
    def note(self, line: str) -> None: ...


def run_oracle(
    study: Study,
    study_text: str,
    *,
    storage_url: str,
    artifact_dir: Path,
    ray: RayOptions,
    progress: OracleProgress | None = None,
) -> list[CycleOutcome]:
    """Run (or resume) the oracle for cycles m = 0 .. L-1 (``pruning.cycles``) over the grid
    ``oracle.grid`` and return one outcome per cycle."""
    n_cycles = study.pruning.cycles
    values = study.oracle.grid_values()
    db = OracleDB(storage_url)
    artifacts = ArtifactStore(artifact_dir)
    content_hash = hashlib.sha256(study_text.encode()).hexdigest()
    study_id = db.studies.upsert(study.name, study_text, content_hash)

    outcomes: list[CycleOutcome] = []

    def close(outcome: CycleOutcome) -> None:
        outcomes.append(outcome)
        if progress:
            progress.cycle_finished(outcome)

    def step(m: int, state: CycleState, retrained: int = 0) -> CycleState:
        start_key = artifacts.put(state)
        lam = percent_remaining(study.pruning.rate, m)
        where = f"cycle {m + 1}/{n_cycles} (lambda {lam:.3g})"
        cycle_row = db.oracle.upsert_cycle(study_id, m, lam, start_key)
        jobs = grid_jobs(study, m, values)
        ids = {v: run_id(job, start_key) for v, job in jobs.items()}
        by_id = {rid: v for v, rid in ids.items()}
        done = db.oracle.trials_for(ids.values())
        todo = [rid for rid in ids.values() if _needs_run(done, rid)]
        if progress:
            progress.cycle_started(m, n_cycles, lam, len(values), len(todo))
        events = _GridEvents(study, m, cycle_row, by_id, db, storage_url, values, progress)
        left = todo
        for attempt in range(1 + LOST_RETRIES):
            if not left:
                break
            size = population_size(study.oracle.population, ray, len(left))
            groups = pack(sorted(left), size)
            events.groups = groups
            schedules = {rid: jobs[by_id[rid]].schedule for rid in left}
            launch(
                f"{study.name}-cycle{m}-{left[0][:8]}-{attempt}",
                GridPlan(study, m, state, schedules, groups),
                artifact_root=artifacts.root,
                options=ray,
                keys=list(groups),
                scheduler=_asha() if ray.asha else None,
                events=events,
            )
            left = [rid for rid in left if rid not in events.ended]
        if left:
            # a point lost with its worker may have been the best: the cycle stays open
            lrs = ", ".join(f"{by_id[rid]:g}" for rid in left)
            raise ScycError(
                f"{where}: {len(left)} grid point(s) (max_lr {lrs}) lost with their worker "
                f"{1 + LOST_RETRIES} times; the cycle is left unfinished: re-run to retry"
            )
        rows = db.oracle.trials_for(ids.values())
        points = [_point(v, rows.get(ids[v])) for v in values]
        region = feasible_region(points, study.oracle.tolerance, study.oracle.tolerance_mode)
        best_id = None if region is None else ids[region.well_tuned]
        effective = rows[best_id].percent_effective if best_id in rows else None
        answer = OracleAnswer(m, lam, tuple(points), region, start_key, best_id, effective)
        outcome = CycleOutcome(
            answer, events.trained, tuple(events.stopped_lrs), events.lost_count, events.loaded
        )
        failed = [(v, rows[ids[v]].error) for v in values if _failed(rows.get(ids[v]))]
        if failed:
            # a point that raised may have been the best: finishing the cycle without it could
            # change the answer, so the cycle stays open and the next run retries the point
            close(outcome)
            v, error = failed[0]
            more = f" (and {len(failed) - 1} more grid points)" if len(failed) > 1 else ""
            raise ScycError(
                f"{where}: grid point max_lr {v:g} failed{more}: {error or 'no error recorded'}"
            )
        if region is None:
            db.oracle.finish_cycle(cycle_row.id, answer)
            close(outcome)
            raise ScycError(
                f"{where}: no grid point trained to completion ({_summary(points)}); check the "
                "grid's max_lr values and the errors with `scyc-tune status`"
            )
        try:
            winner = artifacts.get(rows[best_id].artifact)  # the winner carries forward
        except ArtifactError as e:
            # its trained state is gone or fails its hash check (quarantined by get): the point
            # is trained again, from the same start, and the cycle answered from scratch
            if retrained >= 1:
                raise ScycError(f"{where}: {e}, again after training it anew") from e
            _say(progress, f"{where}: {e}; training max_lr {by_id[best_id]:g} again")
            db.oracle.invalidate_trial(best_id, str(e))
            return step(m, state, retrained + 1)
        db.oracle.finish_cycle(cycle_row.id, answer)
        close(outcome)
        return winner

    with db.leases.hold(study_id, "oracle"):  # a second oracle driver of the study is refused
        walk(study, range(n_cycles), step)
    return outcomes


def _say(progress: OracleProgress | None, line: str) -> None:
    if progress:
        progress.note(line)
    else:
        import sys

        print(f"scyc-tune: {line}", file=sys.stderr, flush=True)


def _asha():
    from ray.tune.schedulers import ASHAScheduler

    return ASHAScheduler(
        metric="val_acc", mode="max", time_attr="training_iteration", grace_period=2
    )


def _failed(row) -> bool:
    return row is not None and row.status == "failed"


def _needs_run(done: dict, rid: str) -> bool:
    row = done.get(rid)
    return row is None or row.status in RETRYABLE_TRIAL_STATUSES


def _point(max_lr: float, row) -> GridPoint:
    if row is None:
        return GridPoint(max_lr, None, "missing")
    return GridPoint(max_lr, row.val_acc, row.status)


def _summary(points: Sequence[GridPoint]) -> str:
    counts: dict[str, int] = {}
    for p in points:
        counts[p.status] = counts.get(p.status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


class _GridEvents:
    """Records each grid point as its trial reports it (one transaction each), mirrors it to
    the cycle's Optuna study, and tells the progress display."""

    def __init__(self, study, m, cycle_row, by_id, db, storage_url, grid, progress):
        self.study, self.m, self.by_id = study, m, by_id
        self.cycle_id, self.start = cycle_row.id, cycle_row.start_artifact
        self.db, self.storage_url, self.grid, self.progress = db, storage_url, grid, progress
        self.stopped_lrs: list[float] = []
        self.ended: set[str] = set()  # run ids with a final result (or stopped) in this run
        self.trained = self.loaded = self.lost_count = 0
        self.groups: dict[str, list[str]] = {}  # trial key -> its members' run ids

    def _members(self, key: str) -> list[str]:
        """The grid points of trial ``key`` that have no final result yet."""
        return [rid for rid in self.groups.get(key, [key]) if rid not in self.ended]

    def started(self, key: str) -> None:
        if self.progress:
            for rid in self._members(key):
                self.progress.trial_event("start", self.by_id[rid], None)

    def reported(self, r: MemberResult) -> None:
        rid = r.run_id or r.key
        if rid not in self.by_id:
            return  # not a grid point of this cycle
        self.ended.add(rid)
        if r.status in ("complete", "diverged"):
            if r.reused:
                self.loaded += 1
            else:
                self.trained += 1
        record = None if r.record is None else r.record.to_dict()
        started = datetime.fromtimestamp(r.started_at, UTC) if r.started_at else datetime.now(UTC)
        entry = TrialEntry(
            rid, self.by_id[rid], self.study.seed, r.status, started, datetime.now(UTC),
            record, r.error, r.artifact,
        )  # fmt: skip
        row = self.db.oracle.record_trial(self.cycle_id, entry)
        m = self.m
        attrs = {"run_id": rid, "status": row.status, "cycle": m + 1, "cycle_index": m}
        if record:
            keep = ("test_acc", "train_loss", "wall_time", "diverged", "percent_remaining")
            attrs.update({k: record[k] for k in keep})
        if r.error:
            attrs["error"] = r.error
        ok = row.status in {"complete", "diverged"}
        mirror_trial(
            self.storage_url,
            optuna_study_name(self.study, m),
            self.grid,
            self.by_id[rid],
            row.val_acc if ok else None,
            "complete" if ok else "fail",
            attrs,
            cycle=m,
            percent_remaining=percent_remaining(self.study.pruning.rate, m),
            datetime_start=row.started_at,
            datetime_complete=row.finished_at,
            start=self.start,
        )
        if r.note:
            _say(self.progress, f"max_lr {self.by_id[rid]:g}: {r.note}")
        if self.progress:
            kind = "failed" if row.status == "failed" else "loaded" if r.reused else "done"
            self.progress.trial_event(kind, self.by_id[rid], row.val_acc)

    def stopped(self, key: str) -> None:
        for rid in self._members(key):
            self.ended.add(rid)
            self.stopped_lrs.append(self.by_id[rid])
            now = datetime.now(UTC)
            stopped = TrialEntry(rid, self.by_id[rid], self.study.seed, "stopped", now, now)
            entry = replace(stopped, error="stopped early by ASHA")
            self.db.oracle.record_trial(self.cycle_id, entry)
            if self.progress:
                self.progress.trial_event("stopped", self.by_id[rid], None)

    def lost(self, key: str) -> None:
        for rid in self._members(key):
            self.lost_count += 1
            if self.progress:
                self.progress.trial_event("lost", self.by_id[rid], None)
