"""A finished cycle's answer in words, per grid point, for the cycle's Optuna study (the
dashboard's "Study User Attributes", ``store.optuna_mirror.annotate_cycle``): each point's mean
and std over the seeds, whether it is feasible, and whether its seeds tell it from the best."""

from __future__ import annotations

from typing import Any

from scyc_tune.oracle.region import significance, tolerance_text
from scyc_tune.store.answer import GridPoint, OracleAnswer


def answer_attributes(
    answer: OracleAnswer, tolerance: float, mode: str, level: float
) -> dict[str, Any]:
    """``well-tuned max_lr``, ``feasible region`` and one ``max_lr <v>`` line per grid point
    (ascending), e.g. "69.20 ± 1.10% over 3 seeds; feasible; not distinguishable from the
    best (Welch, one-sided, p 0.05)"."""
    region = answer.region
    out: dict[str, Any] = {
        "well-tuned max_lr": None if region is None else region.well_tuned,
        "feasible region": None
        if region is None
        else f"{_values(region.values)} (within {tolerance_text(tolerance, mode)})"
        + ("" if region.contiguous else "; with holes"),
    }
    apart = significance(answer.points, level)
    feasible = set() if region is None else set(region.values)
    for p in sorted(answer.points, key=lambda p: p.max_lr):
        best = region is not None and p.max_lr == region.well_tuned
        words = [_accuracy(p)]
        if p.status != "complete":
            words.append(p.status)
        if best:
            words.append("the well-tuned point")
        elif p.max_lr in feasible:
            words.append("feasible")
        verdict = apart.get(p.max_lr)
        if verdict is not None and p.status == "complete" and not best:
            words.append(
                f"{'' if verdict else 'not '}distinguishable from the best (Welch, one-sided, "
                f"p {level:g})"
            )
        out[f"max_lr {p.max_lr:g}"] = "; ".join(words)
    return out


def _accuracy(p: GridPoint) -> str:
    if p.val_acc is None:
        return "no accuracy" if p.n <= 1 else f"no accuracy ({p.n} seeds with one)"
    if p.std is None:
        return f"{100 * p.val_acc:.2f}%"
    return f"{100 * p.val_acc:.2f} ± {100 * p.std:.2f}% over {p.n} seeds"


def _values(values) -> str:
    return "[" + ", ".join(f"{v:g}" for v in values) + "]"
