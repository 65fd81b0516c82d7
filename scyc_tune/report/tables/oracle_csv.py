"""Table 3 as tidy CSV, one line per (row, lambda) with something known.

Columns ``row,lambda,value,low,high,contiguous,inside``:

- ``row`` = ``Well-tuned max_lr``: the oracle at that lambda; ``value`` is the well-tuned
  max_lr, ``low``/``high`` the feasible region, ``contiguous`` 1/0 (0 = the set has holes),
  ``inside`` empty. Lambdas whose cycle has not run have no line.
- ``row`` = a curve's label: ``value`` is the curve's max_lr, ``inside`` 1/0 (empty = cannot
  tell), ``low``/``high``/``contiguous`` empty (join on ``lambda`` for the region). Lambdas
  where the curve has no value have no line.

``lambda`` is percent remaining; max_lr values are plain learning rates (not hundredths),
written with ``repr`` (the shortest text that reads back to the same float). The notes come
first as ``# `` comment lines (``pandas.read_csv(f, comment="#")``).
"""

from __future__ import annotations

from scyc_tune.report.tables._format import csv_text, flag, number
from scyc_tune.report.tables.oracle import WELL_TUNED, OracleTable, oracle_missing

HEADER = ("row", "lambda", "value", "low", "high", "contiguous", "inside")
NOTE = "max_lr as a learning rate; contiguous 0 = feasible set has holes; inside 1/0, empty = n/a"


def oracle_csv(table: OracleTable) -> str:
    """Tidy CSV text with '\\n' line ends; see the module docstring for the layout."""
    rows = []
    for c in table.columns:
        if c.run:
            x, lo, hi = number(c.percent_remaining), number(c.low), number(c.high)
            rows.append([WELL_TUNED, x, number(c.well_tuned), lo, hi, flag(c.contiguous), ""])
    for curve in table.curves:
        for c, v, ok in zip(table.columns, curve.values, curve.inside, strict=True):
            if v is not None:
                rows.append(
                    [curve.label, number(c.percent_remaining), number(v), "", "", "", flag(ok)]
                )
    return csv_text([NOTE, *oracle_missing(table)], HEADER, rows)
