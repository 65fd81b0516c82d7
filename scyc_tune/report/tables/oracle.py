"""The paper's Table 3: per lambda, the oracle's well-tuned max_lr and feasible LR region, and
the max_lr that each schedule curve (S-Cyc fitted, auto, ...) picks there, inside or outside
the region. ``oracle_missing`` and ``inside_count`` are what every renderer shows.

max_lr values are learning rates (0.045), shown in hundredths (4.5) like the paper.
"""

from __future__ import annotations

from dataclasses import dataclass

from scyc_tune.report.tables._format import lambdas

WELL_TUNED = "Well-tuned max_lr"
REGION = "Feasible LR region"
BEST = "Best val acc (%)"
TIED = "Not distinguishable"
EFFECTIVE = "lambda effective (%)"


@dataclass(frozen=True)
class OracleColumn:
    percent_remaining: float
    well_tuned: float | None  # max_lr; None (with low and high) = cycle not run yet
    low: float | None  # feasible region [low, high]
    high: float | None
    contiguous: bool = True  # False -> region marked *
    # the well-tuned point's validation accuracy (fraction): its mean over the oracle's seeds,
    # their sample std (None: one seed) and how many seeds; None when not known here
    best_val: float | None = None
    best_std: float | None = None
    seeds: int = 1
    # a replicated oracle's points that its seeds cannot tell from the well-tuned one (a
    # one-sided Welch t-test at the table's ``level``; the well-tuned point itself included),
    # ascending max_lr, and whether no trained point between them is left out; None: the
    # cycle cannot tell (one seed, or not run)
    tied: tuple[float, ...] | None = None
    tied_contiguous: bool = True
    # the effective lambda of the cycle's start (``pruning.effective``; None: not known)
    percent_effective: float | None = None

    def __post_init__(self) -> None:
        given = (self.well_tuned is None, self.low is None, self.high is None)
        if len(set(given)) != 1:
            raise ValueError(
                f"lambda {self.percent_remaining}: give well_tuned, low and high together or "
                f"none of them, got {self.well_tuned}, {self.low}, {self.high}"
            )
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"lambda {self.percent_remaining}: low {self.low} > high {self.high}")

    @property
    def run(self) -> bool:
        return self.well_tuned is not None


@dataclass(frozen=True)
class CurveRow:
    label: str  # "S-Cyc (fitted)", "auto", ...
    values: tuple[float | None, ...]  # max_lr per column (None = unknown)
    inside: tuple[bool | None, ...]  # inside the feasible region? None = cannot tell

    def __post_init__(self) -> None:
        if len(self.values) != len(self.inside):
            raise ValueError(
                f"{self.label!r}: {len(self.values)} values but {len(self.inside)} inside flags"
            )
        for i, (v, ok) in enumerate(zip(self.values, self.inside, strict=True)):
            if v is None and ok is not None:
                raise ValueError(f"{self.label!r}, column {i}: inside={ok} without a value")


@dataclass(frozen=True)
class OracleTable:
    columns: tuple[OracleColumn, ...]
    curves: tuple[CurveRow, ...]
    level: float = 0.05  # the significance level of the columns' ``tied`` sets

    def __post_init__(self) -> None:
        labels = [c.label for c in self.curves]
        reserved = {WELL_TUNED, REGION, BEST, TIED, EFFECTIVE}
        if len(set(labels)) != len(labels) or reserved & set(labels):
            raise ValueError(
                f"curve labels must be distinct and none of {', '.join(sorted(reserved))}"
            )
        for c in self.curves:
            if len(c.values) != len(self.columns):
                raise ValueError(
                    f"{c.label!r}: {len(c.values)} values for {len(self.columns)} columns"
                )


def inside_count(curve: CurveRow) -> tuple[int, int]:
    """(k, n): k of the n columns that can tell (inside is not None) have the curve inside."""
    known = [ok for ok in curve.inside if ok is not None]
    return sum(known), len(known)


def oracle_missing(table: OracleTable) -> list[str]:
    """One sentence per gap: lambdas whose cycle has not run, then per curve the lambdas
    without a value. Empty when the table is complete."""
    lines = []
    unrun = [c.percent_remaining for c in table.columns if not c.run]
    if unrun:
        lines.append(f"Not run yet: {lambdas(unrun)}")
    for curve in table.curves:
        pairs = zip(table.columns, curve.values, strict=True)
        gaps = [c.percent_remaining for c, v in pairs if v is None]
        if gaps:
            lines.append(f"{curve.label}: no max_lr at {lambdas(gaps)}")
    return lines
