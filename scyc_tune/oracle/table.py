"""The paper's Table 3 layout: one column per lambda, rows Well-tuned max_lr and Feasible region."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.table import Table

from scyc_tune.oracle.driver import CycleOutcome
from scyc_tune.report.tables import hundredths


def oracle_table(
    outcomes: Sequence[CycleOutcome],
    title: str = "",
    reached: Callable[[float], float] | None = None,
) -> Table:
    """Values in hundredths (x 1e-2) like the paper; a region marked * has holes (the feasible
    set is not contiguous), '(ASHA: n)' counts grid points stopped early. ``reached(max_lr)``,
    given when the schedule does not fit the cycle, adds the peak LR the well-tuned point
    actually reached."""
    caption = "max_lr values in hundredths (x 1e-2); * = not contiguous"
    if reached is not None:
        caption += "; the schedule does not fit the cycle: see 'peak LR reached'"
    table = Table(title=title, caption=caption)
    table.add_column("lambda", no_wrap=True)
    for o in outcomes:
        table.add_column(f"{o.percent_remaining:.3g}", justify="right", no_wrap=True)
    best_row, region_row, acc_row = ["Well-tuned max_lr"], ["Feasible LR region"], ["best val %"]
    for o in outcomes:
        if o.region is None:
            best_row.append("-")
            region_row.append("-")
            acc_row.append("-")
            continue
        mark = "" if o.region.contiguous else "*"
        best_row.append(hundredths(o.region.well_tuned))
        region_row.append(f"[{hundredths(o.region.low)}, {hundredths(o.region.high)}]{mark}")
        acc_row.append(f"{100 * o.region.best_val_acc:.1f}")
    table.add_row(*best_row)
    table.add_row(*region_row)
    table.add_row(*acc_row)
    if reached is not None:
        table.add_row(
            "peak LR reached",
            *[
                "-" if o.region is None else hundredths(reached(o.region.well_tuned))
                for o in outcomes
            ],
        )
    if any(o.stopped for o in outcomes):
        table.add_row("stopped by ASHA", *[str(len(o.stopped)) for o in outcomes])
    return table
