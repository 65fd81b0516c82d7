"""Table 2 as Markdown: best mean per column in **bold**, partial cells marked †."""

from __future__ import annotations

from scyc_tune.report.tables._accuracy_cells import CellText, cell_grid, notes
from scyc_tune.report.tables._format import MISSING, lam, markdown, markdown_notes, mean_cell
from scyc_tune.report.tables.accuracy import AccuracyTable


def _cell(c: CellText | None) -> str:
    if c is None:
        return MISSING
    return mean_cell(c.mean, c.std, c.best, c.partial, pm="±", bold="**{}**", mark="†")


def accuracy_markdown(table: AccuracyTable) -> str:
    """A pipe table (schedule column, then one per lambda), then the notes as paragraphs."""
    grid = cell_grid(table)
    header = ["schedule", *(f"λ = {lam(x)}" for x in table.lambdas)]
    rows = [[r.label, *map(_cell, line)] for r, line in zip(table.rows, grid, strict=True)]
    body = markdown(header, "l" + "r" * len(table.lambdas), rows)
    return markdown_notes(body, notes(table, grid))
