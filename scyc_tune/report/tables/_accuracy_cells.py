"""What each Table 2 cell says, independent of the output format, and the notes under it."""

from __future__ import annotations

from dataclasses import dataclass

from scyc_tune.report.tables.accuracy import (
    AccuracyTable,
    accuracy_missing,
    best_labels,
    caption,
)


@dataclass(frozen=True)
class CellText:
    mean: str  # one decimal
    std: str | None  # one decimal; None with a single value
    partial: bool  # fewer values than the seeds asked for
    best: bool


def cell_grid(table: AccuracyTable) -> list[list[CellText | None]]:
    """One list per row, one entry per lambda; None where the cell has no value."""
    best = best_labels(table)
    grid: list[list[CellText | None]] = []
    for row in table.rows:
        line: list[CellText | None] = []
        for x in table.lambdas:
            cell = row.cell(x)
            if cell is None:
                line.append(None)
                continue
            std = None if cell.std is None else f"{cell.std:.1f}"
            partial = len(cell.values) < table.seeds
            line.append(CellText(f"{cell.mean:.1f}", std, partial, row.label in best[x]))
        grid.append(line)
    return grid


def notes(table: AccuracyTable, grid: list[list[CellText | None]]) -> list[str]:
    """Caption, the dagger's meaning when a cell is partial, then what is missing."""
    lines = [caption(table)]
    if any(c is not None and c.partial for line in grid for c in line):
        lines.append(f"† partial: only n of {table.seeds} seeds finished (n per cell below)")
    return lines + accuracy_missing(table)
