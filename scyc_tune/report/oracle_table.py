"""The stored oracle and curves as the paper's Table 3 (see ``report.tables.oracle``)."""

from __future__ import annotations

from scyc_tune.fit.oracle_fit import curve
from scyc_tune.fit.score import OracleCycle
from scyc_tune.report.comparison_table import lambdas_of
from scyc_tune.report.data import ReportData
from scyc_tune.report.tables import CurveRow, OracleColumn, OracleTable
from scyc_tune.study.schedule_fit import misfits, peak_lr


def contiguous(o: OracleCycle) -> bool:
    """Whether the feasible grid values are all the grid values between the region's ends."""
    if not o.grid or not o.feasible:
        return True
    inner = [g for g in o.grid if min(o.feasible) <= g <= max(o.feasible)]
    return len(inner) == len(o.feasible)


def oracle_table(data: ReportData) -> OracleTable:
    """One column per cycle of the study (unrun ones empty); rows S-Cyc (study file), S-Cyc
    (fitted), when fitted, and auto, each marked inside / outside the feasible region."""
    lams = lambdas_of(data.study.pruning.rate, data.cycles)
    done = {o.cycle: o for o in data.oracle}
    columns = []
    for m, lam in enumerate(lams):
        o = done.get(m)
        if o is None:
            columns.append(OracleColumn(lam, None, None, None))
        else:
            columns.append(
                OracleColumn(o.percent_remaining, o.well_tuned, o.low, o.high, contiguous(o))
            )
    curves = []
    rate, ms = data.study.pruning.rate, list(range(data.cycles))
    for label, params in (
        ("S-Cyc (study file)", data.scyc_paper),
        ("S-Cyc (fitted)", data.scyc_fitted("oracle")),
    ):
        if params is not None:
            curves.append(_row(label, curve(params, rate, ms), done))
    if data.auto_curve is not None:
        label, values = data.auto_curve
        by_cycle = {o.cycle: v for o, v in zip(data.oracle, values, strict=True)}
        name = label if label.startswith("auto") else f"auto ({label})"
        curves.append(_row(name, [by_cycle.get(m) for m in ms], done))
    reached = _peak_reached(data, [c.well_tuned for c in columns])
    if reached is not None:
        curves.append(reached)
    return OracleTable(tuple(columns), tuple(curves))


def _peak_reached(data: ReportData, well_tuned: list[float | None]) -> CurveRow | None:
    """When the oracle's schedule does not fit the cycle, the LR its well-tuned points
    actually reached (the max_lr rows are nominal then)."""
    study = data.study
    try:
        label = study.oracle_schedule_label()
    except ValueError:
        return None
    if not any(m.label == label and m.peak < m.max_lr for m in misfits(study)):
        return None
    params, n = study.schedules[label], study.training.iterations
    values = tuple(
        None if v is None else peak_lr(params.with_max_lr(v), n, 0, study.pruning.rate)
        for v in well_tuned
    )
    return CurveRow("peak LR reached (well-tuned)", values, (None,) * len(values))


def _row(label: str, values: list[float | None], done: dict[int, OracleCycle]) -> CurveRow:
    inside = tuple(
        None if v is None or m not in done else done[m].contains(v) for m, v in enumerate(values)
    )
    return CurveRow(label, tuple(values), inside)
