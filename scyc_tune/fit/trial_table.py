"""The accuracy fit's trials as a terminal table."""

from __future__ import annotations

from collections.abc import Sequence

from optuna.trial import FrozenTrial, TrialState
from rich.table import Table


def trials_table(trials: Sequence[FrozenTrial], title: str = "") -> Table:
    """One row per trial: parameters, state, score, per-cycle validation accuracy, reuse."""
    table = Table(
        title=title,
        caption="score (complete trials) and val per cycle: validation accuracy %",
    )
    for name in ("trial", "epsilon", "delta", "beta", "q", "state", "score", "cycles", "reused"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("val per cycle")
    for t in trials:
        p = t.params
        accs = t.user_attrs.get("val_acc_per_cycle", [])
        mark = " (paper)" if t.user_attrs.get("paper") else ""
        table.add_row(
            f"{t.number}{mark}",
            *(f"{p[k]:.4g}" if k in p else "-" for k in ("epsilon", "delta", "beta")),
            str(p.get("q", "-")),
            t.state.name.lower(),
            f"{100 * t.value:.2f}" if t.state == TrialState.COMPLETE else "-",
            str(len(accs)),
            str(t.user_attrs.get("cycles_reused", 0)),
            " ".join(f"{100 * a:.1f}" for a in accs),
        )
    return table
