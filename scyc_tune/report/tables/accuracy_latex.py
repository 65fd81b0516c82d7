"""Table 2 as a booktabs ``tabular``: best mean per column in ``\\textbf``, partial cells
marked ``$^\\dagger$``, a missing cell ``--``; the notes follow as small paragraphs."""

from __future__ import annotations

from scyc_tune.report.tables._accuracy_cells import CellText, cell_grid, notes
from scyc_tune.report.tables._format import lam, mean_cell
from scyc_tune.report.tables._latex import DAGGER, MISSING, escape, lambda_header, tabular
from scyc_tune.report.tables.accuracy import AccuracyTable


def _cell(c: CellText | None) -> str:
    if c is None:
        return MISSING
    return mean_cell(
        c.mean, c.std, c.best, c.partial, pm="$\\pm$", bold="\\textbf{{{}}}", mark=DAGGER
    )


def accuracy_latex(table: AccuracyTable) -> str:
    """LaTeX text (needs ``booktabs``); labels and notes are escaped."""
    grid = cell_grid(table)
    header = ["schedule", *(lambda_header(lam(x)) for x in table.lambdas)]
    rows = [[escape(r.label), *map(_cell, line)] for r, line in zip(table.rows, grid, strict=True)]
    colspec = "l" + "r" * len(table.lambdas)
    return tabular(colspec, header, [rows], [escape(n) for n in notes(table, grid)])
