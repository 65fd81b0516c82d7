"""Table 3 as Markdown: max_lr in hundredths, ✓/✗ for inside/outside the feasible region."""

from __future__ import annotations

from scyc_tune.report.tables._format import lam, markdown, markdown_notes
from scyc_tune.report.tables._oracle_cells import oracle_notes, oracle_rows
from scyc_tune.report.tables.oracle import OracleTable


def oracle_markdown(table: OracleTable) -> str:
    """A pipe table (one column per lambda, a last 'inside' column with k/n), then the notes."""
    header = ["max_lr", *(f"λ = {lam(c.percent_remaining)}" for c in table.columns), "inside"]
    rows = [row for group in oracle_rows(table) for row in group]
    body = markdown(header, "l" + "r" * (len(table.columns) + 1), rows)
    return markdown_notes(body, oracle_notes(table))
