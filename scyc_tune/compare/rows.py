"""The rows of the comparison (Table 2): which schedule trains each cycle of each row.

A row is a label, a title in the paper's notation and one schedule per cycle. Benchmarks and
``auto`` use the same schedule every cycle (rewound: each cycle replays it from iteration 0);
S-Cyc is written per cycle as the warmup it amounts to (``SCycParams.as_warmup``), so its
cycles share trainings with the oracle and the accuracy fit; the oracle row trains cycle m
with the oracle's well-tuned max_lr of cycle m. A constant, decay, cyclical or 1-cycle row
uses the LR its tuning chose (``compare.tuning``), and the fitted S-Cyc is a row of its own
beside the study file's (``s-cyc-fitted``), labelled held out or in-sample.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scyc_tune.compare.describe import describe, family_name, number
from scyc_tune.compare.tuning import Tuned, tuned_labels, tuning_grid
from scyc_tune.schedules import ScheduleParams
from scyc_tune.schedules.scyc import SCycParams
from scyc_tune.store import FitRow
from scyc_tune.store.answer import OracleAnswer
from scyc_tune.study import Study
from scyc_tune.study.fit_schedule import with_params

BENCHMARK, SCYC, AUTO, ORACLE = "benchmark", "scyc", "auto", "oracle"
#: the notes of the rows whose LR was tuned on the unpruned network
TUNED_NOTE, TUNED_WARMUP_NOTE = "tuned on the unpruned network", "oracle cycle 0"
TUNED_NOTES = (TUNED_NOTE, TUNED_WARMUP_NOTE)
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
    tuning: Mapping[str, Tuned] | None = None,
) -> Plan:
    """The comparison's rows for the study's ``pruning.cycles`` cycles. ``oracle`` holds the
    finished oracle cycles (possibly none), ``fits`` the study's fits by mode, ``tuning`` the
    benchmarks' LR tuning (``compare.tuning.tuned``): a row whose LR is tuned is missing until
    its tuning has finished."""
    n = study.pruning.cycles
    spec = study.compare
    labels = list(spec.schedules) if spec.schedules is not None else list(study.schedules)
    tuned = _tuned_label(study)
    tuning, wanted = tuning or {}, set(tuned_labels(study))
    rows: list[CompareRow] = []
    missing: list[str] = []
    for label in labels:
        params = study.schedules[label]
        if params.type == "scyc":
            rows.extend(_scyc_rows(study, label, params, fits, n))
            continue
        kind = AUTO if params.type == "auto" else BENCHMARK
        name, note = None, "study file"
        if params.type == "warmup":
            name = {tuned: "LR-warmup-1", TUNED_WARMUP_LABEL: "LR-warmup-2"}.get(label)
        if label in wanted:
            result = tuning.get(label) or Tuned(label, None, 0, len(tuning_grid(study)))
            if result.lr is None:
                missing.append(result.missing_line())
                continue
            params = params.with_max_lr(result.lr)
            name, note = f"{family_name(params)}, tuned", TUNED_NOTE
        rows.append(CompareRow(label, describe(params, name), kind, (params,) * n, note))
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
    return CompareRow(label, title, BENCHMARK, (tuned,) * n, TUNED_WARMUP_NOTE)


def fitted_label(label: str) -> str:
    """The row of the fitted S-Cyc beside the study file's ``label`` ('s-cyc-fitted')."""
    return f"{label}-fitted"


def _scyc_rows(
    study: Study, label: str, params: ScheduleParams, fits: Mapping[str, FitRow], n: int
) -> list[CompareRow]:
    """The study file's S-Cyc, and for the fitted schedule a row with the parameters of the
    fit of mode ``[compare] fitted`` once it exists: held out when the comparison's seeds
    are not the oracle's (``[compare] held_out``), else in-sample; the fitted row alone where
    ``[compare] scyc_as_written`` is false."""
    assert isinstance(params, SCycParams)
    rows = [_scyc_row(label, params, describe(params), "study file", study, n)]
    mode = study.compare.fitted
    if mode != "none" and mode in fits and label == study.fit_label:
        if not study.compare.scyc_as_written:
            rows.clear()
        fitted = with_params(study, fits[mode].params)
        sample = "held out" if study.compare.held_out else "in-sample"
        title = describe(fitted, f"S-Cyc fitted, {sample}")
        note = f"fitted ({mode} mode), {sample}"
        rows.append(_scyc_row(fitted_label(label), fitted, title, note, study, n))
    return rows


def _scyc_row(
    label: str, params: SCycParams, title: str, note: str, study: Study, n: int
) -> CompareRow:
    per_cycle = tuple(params.as_warmup(m, study.pruning.rate) for m in range(n))
    return CompareRow(label, title, SCYC, per_cycle, note)
