"""The paper's Table 3 layout: one column per lambda, rows Well-tuned max_lr and Feasible region."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table

from scyc_tune.oracle.driver import CycleOutcome
from scyc_tune.report.tables import hundredths


def oracle_table(outcomes: Sequence[CycleOutcome], title: str = "") -> Table:
    """Values in hundredths (x 1e-2) like the paper; a region marked * has holes (the feasible
    set is not contiguous), '(ASHA: n)' counts grid points stopped early."""
    table = Table(title=title, caption="max_lr values in hundredths (x 1e-2); * = not contiguous")
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
    if any(o.stopped for o in outcomes):
        table.add_row("stopped by ASHA", *[str(len(o.stopped)) for o in outcomes])
    return table
