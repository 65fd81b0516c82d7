"""Table 3 as a booktabs ``tabular``: max_lr in hundredths, ``$\\checkmark$`` / ``$\\times$``
for inside/outside the feasible region (needs ``booktabs`` and ``amssymb``)."""

from __future__ import annotations

from scyc_tune.report.tables._format import lam
from scyc_tune.report.tables._latex import escape, lambda_header, tabular
from scyc_tune.report.tables._oracle_cells import oracle_notes, oracle_rows
from scyc_tune.report.tables.oracle import OracleTable


def oracle_latex(table: OracleTable) -> str:
    """LaTeX text; the oracle's rows and the curves are separated by a ``\\midrule``."""
    lambdas = [lambda_header(lam(c.percent_remaining)) for c in table.columns]
    header = [escape("max_lr"), *lambdas, "inside"]
    groups = [[[escape(cell) for cell in row] for row in group] for group in oracle_rows(table)]
    groups = [g for g in groups if g]
    colspec = "l" + "r" * (len(table.columns) + 1)
    return tabular(colspec, header, groups, [escape(n) for n in oracle_notes(table)])
