"""The stored oracle and curves as the paper's Table 3 (see ``report.tables.oracle``)."""

from __future__ import annotations

from scyc_tune.fit.oracle_fit import curve
from scyc_tune.fit.score import OracleCycle
from scyc_tune.report.comparison_table import lambdas_of
from scyc_tune.report.data import ReportData
from scyc_tune.report.tables import CurveRow, OracleColumn, OracleTable


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
    return OracleTable(tuple(columns), tuple(curves))


def _row(label: str, values: list[float | None], done: dict[int, OracleCycle]) -> CurveRow:
    inside = tuple(
        None if v is None or m not in done else done[m].contains(v) for m, v in enumerate(values)
    )
    return CurveRow(label, tuple(values), inside)
