"""Table 3 in the terminal (rich): the same cells as the Markdown, LaTeX and CSV renderings,
plus rows only a live run has (the best validation accuracy, points stopped by ASHA)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from scyc_tune.report.tables._format import lam
from scyc_tune.report.tables._oracle_cells import oracle_notes, oracle_rows
from scyc_tune.report.tables.oracle import OracleTable


def oracle_terminal(
    table: OracleTable, title: str = "", extra: Sequence[Sequence[str]] = ()
) -> Table:
    """``extra``: rows of [label, one cell per column] appended after the oracle's rows."""
    out = Table(title=title, caption="\n".join(oracle_notes(table)))
    out.add_column("lambda", no_wrap=True)
    for c in table.columns:
        out.add_column(lam(c.percent_remaining), justify="right", no_wrap=True)
    out.add_column("inside", justify="right", no_wrap=True)
    oracle, curves = oracle_rows(table)
    for row in [*oracle, *([*r, ""] for r in extra), *curves]:
        out.add_row(*row)
    return out
