"""The Table 3 grid as plain text pieces, shared by the Markdown and LaTeX renderers."""

from __future__ import annotations

from scyc_tune.report.tables._format import MISSING, hundredths
from scyc_tune.report.tables.oracle import (
    BEST,
    REGION,
    WELL_TUNED,
    OracleColumn,
    OracleTable,
    inside_count,
    oracle_missing,
)

FOOTNOTE = (
    "max_lr in hundredths (x 1e-2); * = feasible set has holes; "
    "✓ inside / ✗ outside the feasible region"
)


def _region(c: OracleColumn) -> str:
    if c.low is None or c.high is None:
        return MISSING
    return f"[{hundredths(c.low)}, {hundredths(c.high)}]" + ("" if c.contiguous else "*")


def _best(c: OracleColumn) -> str:
    if c.best_val is None:
        return MISSING
    mean = f"{100 * c.best_val:.1f}"
    return mean if c.best_std is None else f"{mean} ± {100 * c.best_std:.1f}"


def oracle_rows(table: OracleTable) -> list[list[list[str]]]:
    """Two row groups: the oracle (well-tuned, region and, where known, the well-tuned
    point's validation accuracy, mean ± std over the seeds) and the curves. A curve cell is
    '4.5 ✓', '4.5 ✗', '4.5' (cannot tell) or '–'; the last column is 'k/n' inside ('–' when
    no column can tell, '' on the oracle's rows)."""
    well = [
        WELL_TUNED,
        *(MISSING if c.well_tuned is None else hundredths(c.well_tuned) for c in table.columns),
        "",
    ]
    region = [REGION, *(_region(c) for c in table.columns), ""]
    oracle = [well, region]
    if any(c.best_val is not None for c in table.columns):
        oracle.append([BEST, *(_best(c) for c in table.columns), ""])
    curves = []
    for curve in table.curves:
        cells = []
        for v, ok in zip(curve.values, curve.inside, strict=True):
            mark = "" if ok is None else (" ✓" if ok else " ✗")
            cells.append(MISSING if v is None else hundredths(v) + mark)
        k, n = inside_count(curve)
        curves.append([curve.label, *cells, f"{k}/{n}" if n else MISSING])
    return [oracle, curves]


def oracle_notes(table: OracleTable) -> list[str]:
    """The unit/mark footnote, how the accuracies are averaged, then what is missing."""
    seeds = sorted({c.seeds for c in table.columns if c.best_val is not None})
    spread = []
    if seeds and seeds != [1]:
        n = "/".join(str(s) for s in seeds)
        spread = [f"{BEST}: the well-tuned point's mean ± sample std over {n} seeds"]
    return [FOOTNOTE, *spread, *oracle_missing(table)]
