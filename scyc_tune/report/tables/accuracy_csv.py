"""Table 2 as tidy CSV: one line per (schedule, lambda) that has at least one value.

Columns ``schedule,lambda,mean,std,seeds,best``: ``lambda`` in percent remaining, ``mean`` and
``std`` in percent, unrounded, written with ``repr`` (the shortest text that reads back to the
same float); ``std`` is empty with one value; ``seeds`` counts the seeds that finished (partial
when below the number asked for); ``best`` is 1/0. The notes (caption, what is missing) come
first as ``# `` comment lines: skip them with ``pandas.read_csv(f, comment="#")`` or by
dropping lines that start with ``#``.
"""

from __future__ import annotations

from scyc_tune.report.tables._format import csv_text, flag, number
from scyc_tune.report.tables.accuracy import (
    AccuracyTable,
    accuracy_missing,
    best_labels,
    caption,
)

HEADER = ("schedule", "lambda", "mean", "std", "seeds", "best")


def accuracy_csv(table: AccuracyTable) -> str:
    """Tidy CSV text with '\\n' line ends; see the module docstring for the columns."""
    best = best_labels(table)
    rows = []
    for row in table.rows:
        for x in table.lambdas:
            if (c := row.cell(x)) is None:
                continue
            n, is_best = str(len(c.values)), flag(row.label in best[x])
            rows.append([row.label, number(x), number(c.mean), number(c.std), n, is_best])
    seeds = f"seeds = seeds finished of {table.seeds} asked"
    return csv_text([f"{caption(table)}; {seeds}", *accuracy_missing(table)], HEADER, rows)
