"""The comparison's stored runs as the paper's Table 2 (see ``report.tables.accuracy``)."""

from __future__ import annotations

from scyc_tune.compare.driver import Comparison
from scyc_tune.report.tables import AccuracyCell, AccuracyRow, AccuracyTable
from scyc_tune.schedules.base import percent_remaining


def lambdas_of(pruning_rate: float, cycles: int) -> tuple[float, ...]:
    """lambda_m = 100 (1 - p)^m, percent of prunable weights remaining after m cycles."""
    return tuple(percent_remaining(pruning_rate, m) for m in range(cycles))


def row_titles(comp: Comparison) -> dict[str, str]:
    """Each row's title, made unique with its label where two rows read the same."""
    titles = [r.title for r in comp.plan.rows]
    return {
        r.label: r.title if titles.count(r.title) == 1 else f"{r.title} [{r.label}]"
        for r in comp.plan.rows
    }


def accuracy_table(comp: Comparison, pruning_rate: float) -> AccuracyTable:
    """Early-stop test accuracy (%) per row and lambda, one value per seed that reached it."""
    lams = lambdas_of(pruning_rate, comp.plan.cycles)
    titles = row_titles(comp)
    rows = []
    for row in comp.plan.rows:
        cells = {}
        for m, lam in enumerate(lams):
            values = tuple(
                100.0 * runs[m].test_acc
                for seed in comp.seeds
                if len(runs := comp.cycles_of(row, seed)) > m
            )
            if values:
                cells[lam] = AccuracyCell(values)
        rows.append(AccuracyRow(titles[row.label], cells))
    reference = frozenset(titles[r.label] for r in comp.plan.rows if r.reference)
    return AccuracyTable(lams, tuple(rows), len(comp.seeds), reference)
