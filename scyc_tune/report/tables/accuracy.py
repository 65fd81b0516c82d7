"""The paper's Table 2: early-stop test accuracy (%) per schedule (rows) and lambda (columns).

A cell holds one accuracy per finished seed; it is *partial* when fewer than ``seeds`` finished
and *missing* when none did (no key in ``cells``, or an empty cell). ``best_labels`` and
``accuracy_missing`` are what every renderer (Markdown, CSV, LaTeX, the HTML report) shows.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass

from scyc_tune.report.tables._format import lambdas

#: two means closer than this (percentage points) are tied; absorbs float noise only
TIE_PP = 1e-9


@dataclass(frozen=True)
class AccuracyCell:
    values: tuple[float, ...]  # early-stop test accuracy in percent, one per finished seed

    @property
    def mean(self) -> float:
        """Mean over seeds (``math.fsum``, so it does not depend on the seeds' order)."""
        return math.fsum(self.values) / len(self.values)

    @property
    def std(self) -> float | None:
        """Sample standard deviation (ddof=1); None with fewer than 2 values."""
        return statistics.stdev(self.values) if len(self.values) >= 2 else None


@dataclass(frozen=True)
class AccuracyRow:
    label: str  # e.g. "constant LR (1e-2)"
    cells: Mapping[float, AccuracyCell]  # lambda (percent remaining) -> cell; missing = not run

    def cell(self, lambda_: float) -> AccuracyCell | None:
        """The cell at ``lambda_``, None when it has no value."""
        cell = self.cells.get(lambda_)
        return cell if cell is not None and cell.values else None


@dataclass(frozen=True)
class AccuracyTable:
    lambdas: tuple[float, ...]  # the columns, in the given order (descending percent remaining)
    rows: tuple[AccuracyRow, ...]
    seeds: int  # seeds asked for
    reference_rows: frozenset[str] = frozenset()  # shown but never marked best (the oracle)

    def __post_init__(self) -> None:
        if self.seeds < 1:
            raise ValueError(f"seeds must be >= 1, got {self.seeds}")
        if len(set(self.lambdas)) != len(self.lambdas):
            raise ValueError(f"lambdas must be distinct, got {self.lambdas}")
        labels = [r.label for r in self.rows]
        if len(set(labels)) != len(labels):
            raise ValueError(f"row labels must be distinct, got {labels}")
        if unknown := sorted(self.reference_rows - set(labels)):
            raise ValueError(f"reference_rows {unknown} are not row labels; rows are {labels}")
        for row in self.rows:
            if extra := [x for x in row.cells if x not in self.lambdas]:
                raise ValueError(f"{row.label!r}: lambdas {extra} not in {self.lambdas}")
            for x, cell in row.cells.items():
                if len(cell.values) > self.seeds:
                    raise ValueError(
                        f"{row.label!r} at lambda {x}: {len(cell.values)} values, "
                        f"more than seeds={self.seeds}"
                    )


def best_labels(table: AccuracyTable) -> dict[float, set[str]]:
    """Per lambda, the labels of the rows with the highest mean (all of them on a tie, within
    ``TIE_PP``); reference rows and rows without a value there are never best. Every lambda is
    a key; the set is empty where no eligible row has a value."""
    best: dict[float, set[str]] = {}
    for x in table.lambdas:
        means = {
            r.label: c.mean
            for r in table.rows
            if r.label not in table.reference_rows and (c := r.cell(x)) is not None
        }
        top = max(means.values(), default=None)
        best[x] = set() if top is None else {k for k, m in means.items() if m >= top - TIE_PP}
    return best


def caption(table: AccuracyTable) -> str:
    """The note saying what the numbers are."""
    seeds = f"{table.seeds} seed" + ("s" if table.seeds != 1 else "")
    return f"early-stop test accuracy (%), mean ± std over {seeds}"


def accuracy_missing(table: AccuracyTable) -> list[str]:
    """One sentence per gap: lambdas no row has run, then per row the cells not run and the
    partial cells grouped by how many seeds finished. Empty when the table is complete."""
    lines = []
    unrun = [x for x in table.lambdas if all(r.cell(x) is None for r in table.rows)]
    if unrun:
        lines.append(f"Not run yet: {lambdas(unrun)}")
    for row in table.rows:
        gaps = [x for x in table.lambdas if x not in unrun and row.cell(x) is None]
        if gaps:
            lines.append(f"{row.label}: not run at {lambdas(gaps)}")
        by_n: dict[int, list[float]] = {}
        for x in table.lambdas:
            if (c := row.cell(x)) is not None and len(c.values) < table.seeds:
                by_n.setdefault(len(c.values), []).append(x)
        for n, xs in sorted(by_n.items(), reverse=True):
            lines.append(f"{row.label}: {n} of {table.seeds} seeds at {lambdas(xs)}")
    return lines
