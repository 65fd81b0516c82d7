"""The fit-oracle table: the paper's Table 3 layout plus one row per schedule compared."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.table import Table

from scyc_tune.fit.score import OracleCycle
from scyc_tune.report.tables import hundredths

INSIDE, OUTSIDE = "✓", "✗"


def fit_table(
    oracle: Sequence[OracleCycle], rows: Mapping[str, Sequence[float]], title: str = ""
) -> Table:
    """One column per lambda; rows Well-tuned max_lr, Feasible LR region, then each schedule's
    max_lr with ✓ (inside the feasible region) or ✗ (outside), and its count inside."""
    table = Table(
        title=title,
        caption="max_lr in hundredths (x 1e-2); ✓ inside the feasible region, ✗ outside",
    )
    table.add_column("lambda", no_wrap=True)
    for o in oracle:
        table.add_column(f"{o.percent_remaining:.3g}", justify="right", no_wrap=True)
    table.add_column("inside", justify="right", no_wrap=True)
    table.add_row("Well-tuned max_lr", *[hundredths(o.well_tuned) for o in oracle], "")
    table.add_row(
        "Feasible LR region",
        *[f"[{hundredths(o.low)}, {hundredths(o.high)}]" for o in oracle],
        "",
    )
    for label, values in rows.items():
        cells = [
            f"{hundredths(v)} {INSIDE if o.contains(v) else OUTSIDE}"
            for v, o in zip(values, oracle, strict=True)
        ]
        inside = sum(o.contains(v) for v, o in zip(values, oracle, strict=True))
        table.add_row(label, *cells, f"{inside}/{len(oracle)}")
    return table
