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
from scyc_tune.oracle.adaptive import edge_of, grow_step, grow_value, refine_step
from scyc_tune.oracle.grid_plan import GridPlan
from scyc_tune.oracle.jobs import grid_jobs, optuna_study_name
from scyc_tune.oracle.load import oracle_seeds
from scyc_tune.oracle.region import feasible_region
from scyc_tune.oracle.summary import answer_attributes
from scyc_tune.runs.chain import walk_lockstep
from scyc_tune.runs.identity import run_id
from scyc_tune.runs.launch import RayOptions, launch
from scyc_tune.runs.packing import pack, population_size
from scyc_tune.runs.result import MemberResult
from scyc_tune.schedules.base import percent_remaining
from scyc_tune.store import ArtifactStore, OracleDB, mirror_trial
from scyc_tune.store.answer import GridPoint, OracleAnswer
from scyc_tune.store.artifacts import ArtifactError
from scyc_tune.store.entries import TrialEntry
from scyc_tune.store.optuna_mirror import annotate_cycle
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
    def points_added(self, why: str, total: int, todo: int) -> None: ...
    def cycle_finished(self, outcome: CycleOutcome) -> None: ...
    def note(self, line: str) -> None: ...


def run_oracle(
    study: Study,
    study_text: str,
    *,
    storage_url: str,
    artifact_dir: str | Path,
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

    spec, spacing = study.oracle, study.oracle.grid_spacing()
    seeds = oracle_seeds(study)
    studies = [study if s == study.seed else study.model_copy(update={"seed": s}) for s in seeds]

    def step(m: int, starts: dict[int, CycleState], retrained: int = 0) -> dict[int, CycleState]:
        """Cycle m of every seed's chain: each grid point from each seed's start (the grid
        grown and refined as ``oracle/adaptive`` says); the winners (each seed's network at
        the well-tuned max_lr) carry forward."""
        start_keys = {i: artifacts.put(starts[i]) for i in sorted(starts)}
        lam = percent_remaining(study.pruning.rate, m)
        where = f"cycle {m + 1}/{n_cycles} (lambda {lam:.3g})"
        cycle_row = db.oracle.upsert_cycle(study_id, m, lam, start_keys[0])
        ids: dict[tuple[float, int], str] = {}  # (max_lr, seed index) -> run id
        schedules = {}
        by_id: dict[str, float] = {}
        seed_index: dict[str, int] = {}
        trained_values: list[float] = []
        # a lone grid point's reports in this cycle: ASHA's max_t (the same for every point)
        reports = cycle_reports(study.training.iterations_for(m), study.training.eval_every)
        events = _GridEvents(study, m, cycle_row, by_id, db, storage_url, trained_values, progress)

        def train(new_values: list[float], why: str | None = None) -> None:
            """Every seed's run of each new value: loaded when stored, else trained."""
            new_ids = []
            for i in start_keys:
                for v, job in grid_jobs(studies[i], m, new_values).items():
                    ids[(v, i)] = rid = run_id(job, start_keys[i])
                    schedules[rid], by_id[rid], seed_index[rid] = job.schedule, v, i
                    events.seeds[rid] = seeds[i]
                    new_ids.append(rid)
            trained_values[:] = sorted({*trained_values, *new_values})
            done = db.oracle.trials_for(new_ids)
            todo = [rid for rid in new_ids if _needs_run(done, rid)]
            if progress and why is None:
                progress.cycle_started(m, n_cycles, lam, len(new_ids), len(todo))
            elif progress:
                progress.points_added(why, len(new_ids), len(todo))
            left = todo
            for attempt in range(1 + LOST_RETRIES):
                if not left:
                    break
                size = population_size(study.oracle.population, ray, len(left))
                groups = pack(sorted(left, key=lambda r: (seed_index[r], r)), size)
                events.groups = groups
                plan = GridPlan(
                    study, m, [starts[i] for i in sorted(starts)],
                    {rid: schedules[rid] for rid in left}, groups,
                    {rid: (seeds[seed_index[rid]], seed_index[rid]) for rid in left},
                )  # fmt: skip
                launch(
                    f"{study.name}-cycle{m}-{left[0][:8]}-{attempt}",
                    plan,
                    artifact_root=artifacts.root,
                    options=ray,
                    keys=list(groups),
                    scheduler=_asha(reports) if ray.asha else None,
                    events=events,
                )
                left = [rid for rid in left if rid not in events.ended]
            if left:
                # a point lost with its worker may have been the best: the cycle stays open
                lrs = ", ".join(sorted({f"{by_id[rid]:g}" for rid in left}))
                raise ScycError(
                    f"{where}: {len(left)} grid point run(s) (max_lr {lrs}) lost with their "
                    f"worker {1 + LOST_RETRIES} times; the cycle is left unfinished: re-run to "
                    "retry"
                )

        def answer_now() -> tuple[OracleAnswer, dict]:
            rows = db.oracle.trials_for(ids.values())
            points = [
                _point(v, [rows.get(ids[(v, i)]) for i in start_keys]) for v in trained_values
            ]
            region = feasible_region(points, spec.tolerance, spec.tolerance_mode)
            best_id = None if region is None else ids[(region.well_tuned, 0)]
            effective = rows[best_id].percent_effective if best_id in rows else None
            answer = OracleAnswer(m, lam, tuple(points), region, start_keys[0], best_id, effective)
            return answer, rows

        def outcome_of(answer: OracleAnswer) -> CycleOutcome:
            return CycleOutcome(
                answer, events.trained, tuple(events.stopped_lrs), events.lost_count, events.loaded
            )

        def check_failed(answer: OracleAnswer, rows: dict) -> None:
            failed = [(by_id[rid], row.error) for rid, row in rows.items() if _failed(row)]
            if failed:
                # a point that raised may have been the best: finishing the cycle without it
                # could change the answer, so the cycle stays open and the next run retries it
                close(outcome_of(answer))
                v, error = sorted(failed, key=lambda f: f[0])[0]
                more = f" (and {len(failed) - 1} more grid point runs)" if len(failed) > 1 else ""
                raise ScycError(
                    f"{where}: grid point max_lr {v:g} failed{more}: {error or 'no error recorded'}"
                )

        train(values)
        answer, rows = answer_now()
        check_failed(answer, rows)
        grown: dict[str, int] = {}
        while (
            v := grow_step(trained_values, answer.region, grown, spec.grow, spacing)
        ) is not None:
            edge = "top" if v > answer.region.well_tuned else "bottom"
            train([v], f"{where}: the best, max_lr {answer.region.well_tuned:g}, is on the "
                       f"grid's {edge} edge: growing it to {v:g}")  # fmt: skip
            answer, rows = answer_now()
            check_failed(answer, rows)
        edge = edge_of(trained_values, answer.region)
        if edge is not None and grow_value(trained_values, edge, spacing) is not None:
            side = {"high": "top", "low": "bottom"}[edge]
            line = (
                f"{where}: the best, max_lr {answer.region.well_tuned:g}, is still on the grid's "
                f"{side} edge after {grown.get(edge, 0)} growth step(s) ([oracle] grow = "
                f"{spec.grow}): a max_lr beyond it may be better"
            )
            _say(progress, line)
        refined = 0
        while refined < spec.refine:
            new = refine_step(
                trained_values, answer.region, spec.refine - refined, spec.resolution, spacing
            )
            if not new:
                break
            refined += len(new)
            train(new, f"{where}: refining the region at max_lr {', '.join(f'{x:g}' for x in new)}")
            answer, rows = answer_now()
            check_failed(answer, rows)
        region, outcome = answer.region, outcome_of(answer)
        if region is None:
            db.oracle.finish_cycle(cycle_row.id, answer)
            close(outcome)
            raise ScycError(
                f"{where}: no grid point trained to completion ({_summary(answer.points)}); "
                "check the grid's max_lr values and the errors with `scyc-tune status`"
            )
        winners = {}
        for i in start_keys:  # each seed's network at the well-tuned max_lr carries forward
            rid = ids[(region.well_tuned, i)]
            try:
                winners[i] = artifacts.get(rows[rid].artifact)
            except ArtifactError as e:
                # its trained state is gone or fails its hash check (quarantined by get): the
                # point is trained again, from the same start, and the cycle answered anew
                if retrained >= 1:
                    raise ScycError(f"{where}: {e}, again after training it anew") from e
                _say(progress, f"{where}: {e}; training max_lr {by_id[rid]:g} again")
                db.oracle.invalidate_trial(rid, str(e))
                return step(m, starts, retrained + 1)
        db.oracle.finish_cycle(cycle_row.id, answer)
        annotate_cycle(
            storage_url, optuna_study_name(study, m),
            answer_attributes(answer, spec.tolerance, spec.tolerance_mode, spec.significance),
            cycle=m, percent_remaining=lam, start=cycle_row.start_artifact,
        )  # fmt: skip
        close(outcome)
        return winners

    with db.leases.hold(study_id, "oracle"):  # a second oracle driver of the study is refused
        walk_lockstep(study, range(n_cycles), seeds, step)
    return outcomes


def _say(progress: OracleProgress | None, line: str) -> None:
    if progress:
        progress.note(line)
    else:
        import sys

        print(f"scyc-tune: {line}", file=sys.stderr, flush=True)


def cycle_reports(iterations: int, eval_every: int) -> int:
    """How many times a lone grid point's trial reports in a cycle: once per evaluation before
    the last (``done % eval_every == 0``), then its final result at the last iteration."""
    return -(-iterations // eval_every)


def _asha(max_t: int):
    """ASHA over a cycle's reports. ``training_iteration`` counts reports, so ``max_t`` is the
    cycle's number of reports: Ray's default (100) stopped every point of a cycle with more
    than 100 evaluations at its 100th, before its final result."""
    from ray.tune.schedulers import ASHAScheduler

    return ASHAScheduler(
        metric="val_acc",
        mode="max",
        time_attr="training_iteration",
        max_t=max_t,
        grace_period=min(2, max_t),
    )


def _failed(row) -> bool:
    return row is not None and row.status == "failed"


def _needs_run(done: dict, rid: str) -> bool:
    row = done.get(rid)
    return row is None or row.status in RETRYABLE_TRIAL_STATUSES


def _point(max_lr: float, rows) -> GridPoint:
    """The grid point over its seeds' trial rows (None: not recorded)."""
    runs = [(None, "missing") if r is None else (r.val_acc, r.status) for r in rows]
    return GridPoint.of_runs(max_lr, runs)


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
        self.seeds: dict[str, int] = {}  # run id -> its seed (a replicated oracle's)

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
        self.ended.add(rid)  # once per run: the relay drops a restarted trial's repeats
        if r.status in ("complete", "diverged"):
            if r.reused:
                self.loaded += 1
            else:
                self.trained += 1
        record = None if r.record is None else r.record.to_dict()
        started = datetime.fromtimestamp(r.started_at, UTC) if r.started_at else datetime.now(UTC)
        entry = TrialEntry(
            rid, self.by_id[rid], self.seeds.get(rid, self.study.seed), r.status, started,
            datetime.now(UTC),
            record, r.error, r.artifact,
        )  # fmt: skip
        row = self.db.oracle.record_trial(self.cycle_id, entry)
        m = self.m
        attrs = {"run_id": rid, "status": row.status, "cycle": m + 1, "cycle_index": m}
        if len(set(self.seeds.values())) > 1:
            attrs["seed"] = row.seed
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
            seed = self.seeds.get(rid, self.study.seed)
            stopped = TrialEntry(rid, self.by_id[rid], seed, "stopped", now, now)
            entry = replace(stopped, error="stopped early by ASHA")
            self.db.oracle.record_trial(self.cycle_id, entry)
            if self.progress:
                self.progress.trial_event("stopped", self.by_id[rid], None)

    def retried(self, key: str) -> None:
        lrs = ", ".join(f"{self.by_id[rid]:g}" for rid in self._members(key))
        _say(self.progress, f"max_lr {lrs}: the worker was lost; Ray Tune restarts the trial "
             "from its last checkpoint")  # fmt: skip

    def lost(self, key: str) -> None:
        for rid in self._members(key):
            self.lost_count += 1
            if self.progress:
                self.progress.trial_event("lost", self.by_id[rid], None)
