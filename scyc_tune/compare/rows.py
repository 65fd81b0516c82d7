"""The rows of the comparison (Table 2): which schedule trains each cycle of each row.

A row is a label, a title in the paper's notation and one schedule per cycle. Benchmarks and
``auto`` use the same schedule every cycle (rewound: each cycle replays it from iteration 0);
S-Cyc is written per cycle as the warmup it amounts to (``SCycParams.as_warmup``), so its
cycles share trainings with the oracle and the accuracy fit; the oracle row trains cycle m
with the oracle's well-tuned max_lr of cycle m.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scyc_tune.compare.describe import describe, number
from scyc_tune.schedules import ScheduleParams
from scyc_tune.schedules.scyc import SCycParams
from scyc_tune.store import FitRow
from scyc_tune.store.answer import OracleAnswer
from scyc_tune.study import Study
from scyc_tune.study.fit_schedule import with_params

BENCHMARK, SCYC, AUTO, ORACLE = "benchmark", "scyc", "auto", "oracle"
TUNED_WARMUP_LABEL = "lr-warmup-2"
ORACLE_LABEL = "oracle"


def tuned_warmup_label(study: Study) -> str:
    """'lr-warmup-2', or 'lr-warmup-2-tuned' where the study file has its own 'lr-warmup-2'
    (the paper's studies write the literature's LR-warmup-2 values): two rows under one label
    would share their stored runs."""
    if TUNED_WARMUP_LABEL in study.schedules:
        return f"{TUNED_WARMUP_LABEL}-tuned"
    return TUNED_WARMUP_LABEL


@dataclass(frozen=True)
class CompareRow:
    label: str  # the study's schedule label, or 'lr-warmup-2' / 'oracle'
    title: str  # 'constant LR (1e-2)'
    kind: str  # benchmark | scyc | auto | oracle
    schedules: tuple[ScheduleParams, ...]  # cycle m trains with schedules[m]
    note: str = ""  # where the parameters come from

    @property
    def reference(self) -> bool:
        """The oracle is an upper reference: shown, never ranked."""
        return self.kind == ORACLE


@dataclass(frozen=True)
class Plan:
    rows: tuple[CompareRow, ...]
    cycles: int
    missing: tuple[str, ...]  # rows that cannot be built yet, and why


def plan_rows(
    study: Study,
    oracle: Sequence[OracleAnswer],
    fits: Mapping[str, FitRow],
) -> Plan:
    """The comparison's rows for the study's ``pruning.cycles`` cycles. ``oracle`` holds the
    finished oracle cycles (possibly none), ``fits`` the study's fits by mode."""
    n = study.pruning.cycles
    spec = study.compare
    labels = list(spec.schedules) if spec.schedules is not None else list(study.schedules)
    tuned = _tuned_label(study)
    rows: list[CompareRow] = []
    missing: list[str] = []
    for label in labels:
        params = study.schedules[label]
        if params.type == "scyc":
            rows.append(_scyc_row(study, label, params, fits, n))
            continue
        kind = AUTO if params.type == "auto" else BENCHMARK
        name = None
        if params.type == "warmup":
            name = {tuned: "LR-warmup-1", TUNED_WARMUP_LABEL: "LR-warmup-2"}.get(label)
        rows.append(CompareRow(label, describe(params, name), kind, (params,) * n, "study file"))
        if label == tuned:
            row = _tuned_row(study, params, oracle, n)
            if row is None:
                missing.append(
                    f"{tuned_warmup_label(study)}: needs the oracle's cycle 0 "
                    "(run `scyc-tune oracle`)"
                )
            else:
                rows.append(row)
    if spec.oracle_row:
        if oracle:
            warmup = study.schedule_params(study.oracle_schedule_label())
            per_cycle = tuple(warmup.with_max_lr(o.well_tuned) for o in oracle[:n])
            lrs = ", ".join(number(o.well_tuned) for o in oracle[:n])
            rows.append(CompareRow(ORACLE_LABEL, f"oracle ({lrs})", ORACLE, per_cycle, "oracle"))
            if len(oracle) < n:
                missing.append(
                    f"{ORACLE_LABEL}: the oracle has finished {len(oracle)} of {n} cycles"
                )
        else:
            missing.append(f"{ORACLE_LABEL}: no finished oracle cycle (run `scyc-tune oracle`)")
    return Plan(tuple(rows), n, tuple(missing))


def _tuned_label(study: Study) -> str | None:
    tuned = study.compare.tuned_warmup
    if tuned == "":
        return None
    if tuned is not None:
        return tuned
    return study.oracle_label


def _tuned_row(
    study: Study, params: ScheduleParams, oracle: Sequence[OracleAnswer], n: int
) -> CompareRow | None:
    """LR-warmup-2: the warmup with its max_lr grid-tuned on the unpruned network (Section
    5.1), which is the oracle's well-tuned max_lr of cycle 0 when the oracle varies this same
    schedule's max_lr."""
    if not oracle or oracle[0].cycle != 0:
        return None
    tuned = params.with_max_lr(oracle[0].well_tuned)
    label = tuned_warmup_label(study)
    name = "LR-warmup-2" if label == TUNED_WARMUP_LABEL else "LR-warmup-2, tuned"
    title = describe(tuned, name if params.type == "warmup" else None)
    return CompareRow(label, title, BENCHMARK, (tuned,) * n, "oracle cycle 0")


def _scyc_row(
    study: Study, label: str, params: ScheduleParams, fits: Mapping[str, FitRow], n: int
) -> CompareRow:
    assert isinstance(params, SCycParams)
    mode = study.compare.fitted
    note = "study file"
    if mode != "none" and mode in fits and label == study.fit_label:
        params = with_params(study, fits[mode].params)
        note = f"fitted ({mode} mode)"
    per_cycle = tuple(params.as_warmup(m, study.pruning.rate) for m in range(n))
    return CompareRow(label, describe(params), SCYC, per_cycle, note)
