"""The paper's Table 3, built once from the stored oracle answers (``OracleAnswer``) and the
schedule curves, and rendered by ``report.tables`` as Markdown, CSV, LaTeX and in the
terminal (``scyc-tune oracle``, ``scyc-tune fit``)."""

from __future__ import annotations

from collections.abc import Sequence

from scyc_tune.compare.rows import BENCHMARK
from scyc_tune.fit.oracle_fit import curve
from scyc_tune.oracle.region import significance
from scyc_tune.report.comparison_table import lambdas_of
from scyc_tune.report.data import ReportData
from scyc_tune.report.tables import CurveRow, OracleColumn, OracleTable
from scyc_tune.store.answer import OracleAnswer
from scyc_tune.study import Study
from scyc_tune.study.schedule_fit import misfits, peak_lr

Curve = tuple[str, Sequence[float | None]]  # label, max_lr per cycle m = 0 .. n-1


def table3(
    study: Study,
    answers: Sequence[OracleAnswer],
    cycles: int,
    curves: Sequence[Curve] = (),
    plain: Sequence[Curve] = (),
) -> OracleTable:
    """One column per cycle m < ``cycles`` (a cycle without a finished answer is empty); one
    row per curve, each cell marked inside / outside the feasible region (and, for a replicated
    oracle, the points its seeds cannot tell from the best); one per ``plain``
    curve, unmarked (another schedule family's LR, which the oracle's region does not judge);
    and, when the oracle's schedule does not fit the cycle, the peak LR its well-tuned points
    reached."""
    lams = lambdas_of(study.pruning.rate, cycles)
    level = study.oracle.significance
    done = {a.cycle: a for a in answers if a.complete}
    columns = []
    for m, lam in enumerate(lams):
        a = done.get(m)
        if a is None:
            columns.append(OracleColumn(lam, None, None, None))
        else:
            point = next((p for p in a.points if p.max_lr == a.well_tuned), None)
            tied, tied_contiguous = _tied(a, level)
            columns.append(
                OracleColumn(
                    a.percent_remaining, a.well_tuned, a.low, a.high, a.contiguous,
                    best_val=a.region.best_val_acc,
                    best_std=None if point is None else point.std,
                    seeds=1 if point is None else point.n,
                    tied=tied, tied_contiguous=tied_contiguous,
                    percent_effective=a.percent_effective,
                )
            )  # fmt: skip
    rows = [_row(label, list(values), done) for label, values in curves]
    rows += [CurveRow(label, tuple(values), (None,) * len(values)) for label, values in plain]
    reached = _peak_reached(study, [c.well_tuned for c in columns])
    if reached is not None:
        rows.append(reached)
    return OracleTable(tuple(columns), tuple(rows), level)


def _tied(answer: OracleAnswer, level: float) -> tuple[tuple[float, ...] | None, bool]:
    """The max_lr values a replicated oracle's seeds cannot tell from the well-tuned point
    (``oracle.region.significance``; the well-tuned point among them), and whether no point
    with an accuracy lies between them outside the set; (None, True) for a single seed."""
    apart = significance(answer.points, level)
    tied = tuple(sorted(v for v, d in apart.items() if d is False))
    if not tied:
        return None, True
    between = [v for v in apart if tied[0] <= v <= tied[-1]]
    return tied, len(between) == len(tied)


def oracle_table(data: ReportData) -> OracleTable:
    """The report's Table 3: every cycle of the study; rows S-Cyc (study file), S-Cyc
    (fitted), when fitted, auto, the LR range test where the study has one, and every
    benchmark row of the comparison (Table 2), as written (LR-warmup-1) or tuned on the
    unpruned network (LR-warmup-2, the tuned constant, decay, ...): those of the oracle's
    family marked against the region, the others unmarked."""
    curves: list[Curve] = []
    rate, ms = data.study.pruning.rate, list(range(data.cycles))
    for label, params in (
        ("S-Cyc (study file)", data.scyc_paper),
        ("S-Cyc (fitted, in-sample)", data.scyc_fitted("oracle")),
    ):
        if params is not None:
            curves.append((label, curve(params, rate, ms)))
    if data.auto_curve is not None:
        label, values = data.auto_curve
        by_cycle = {o.cycle: v for o, v in zip(data.oracle, values, strict=True)}
        name = label if label.startswith("auto") else f"auto ({label})"
        curves.append((name, [by_cycle.get(m) for m in ms]))
    if data.range_test_curve is not None:
        label, values = data.range_test_curve
        by_cycle = {o.cycle: v for o, v in zip(data.oracle, values, strict=True)}
        curves.append((f"LR range test ({label})", [by_cycle.get(m) for m in ms]))
    plain: list[Curve] = []
    label = data.study.oracle_label
    oracle_family = None if label is None else data.study.schedules[label].type
    for row in data.comparison.plan.rows:
        if row.kind != BENCHMARK or not row.schedules or row.schedules[0].max_lr_field is None:
            continue  # every benchmark of Table 2 with a max_lr of its own (the LR range
            # test's is measured per cycle: its row above), as written or tuned
        values = [
            getattr(row.schedules[m], row.schedules[m].max_lr_field)
            if m < len(row.schedules) else None
            for m in ms
        ]  # fmt: skip
        name = row.title.split(" (")[0]
        if row.schedules[0].type == oracle_family:
            curves.append((name, values))
        else:
            plain.append((name, values))
    return table3(data.study, data.oracle, data.cycles, curves, plain)


def _peak_reached(study: Study, well_tuned: list[float | None]) -> CurveRow | None:
    """When the oracle's schedule does not fit the cycle, the LR its well-tuned points
    actually reached (the max_lr rows are nominal then)."""
    label = study.oracle_label
    if label is None:
        return None
    if not any(m.label == label and m.peak < m.max_lr for m in misfits(study)):
        return None
    params, n = study.schedules[label], study.training.iterations
    values = tuple(
        None if v is None else peak_lr(params.with_max_lr(v), n, 0, study.pruning.rate)
        for v in well_tuned
    )
    return CurveRow("peak LR reached (well-tuned)", values, (None,) * len(values))


def _row(label: str, values: list[float | None], done: dict[int, OracleAnswer]) -> CurveRow:
    inside = tuple(
        None if v is None or m not in done else done[m].contains(v) for m, v in enumerate(values)
    )
    return CurveRow(label, tuple(values), inside)
