"""Terminal tables."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from scyc_tune.engine import CycleRecord


def records_table(records: list[CycleRecord], title: str = "") -> Table:
    """One row per cycle (1 = the unpruned network), lambda, max_lr, val / early-stop test
    accuracy, loss, time."""
    table = Table(title=title)
    table.caption = (
        "lambda: % of prunable weights left; val: best validation accuracy %; "
        "test: early-stop test accuracy %"
    )
    for name in ("cycle", "lambda", "max_lr", "val", "test", "loss", "time s"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("status", no_wrap=True)
    for r in records:
        table.add_row(
            str(r.cycle + 1),  # numbered as the progress numbers them: 1 = unpruned
            f"{r.percent_remaining:.2f}",
            f"{r.max_lr:.4g}",
            f"{100 * r.val_acc:.2f}",
            f"{100 * r.test_acc:.2f}",
            f"{r.train_loss:.4f}",
            f"{r.wall_time:.1f}",
            "diverged" if r.diverged else "ok",
        )
    return table


def stdout_console() -> Console:
    """Rich console for results: the terminal's width, or wide enough not to truncate a table
    when stdout is a file or a pipe (rich would assume 80 columns)."""
    return Console() if sys.stdout.isatty() else Console(width=200)
