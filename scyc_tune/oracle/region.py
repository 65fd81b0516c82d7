"""Well-tuned max_lr and feasible LR region from one cycle's grid results (pure functions).

Only fully trained, non-diverged points are eligible (a point stopped early by ASHA, a failed
point or a diverged one is never the best and never feasible).
Tie-break: among equal best validation accuracies, the SMALLEST max_lr is the well-tuned one
(the conservative choice; deterministic whatever order the trials finished in).
"""

from __future__ import annotations

from collections.abc import Sequence

from scyc_tune.store.answer import GridPoint, Region

__all__ = [
    "GridPoint",
    "Region",
    "allowed_drop",
    "distinguishable",
    "feasible_region",
    "significance",
    "tolerance_text",
    "well_tuned",
]

#: accuracy comparisons tolerate float noise of this size (accuracies are fractions)
_EPS = 1e-12


def well_tuned(points: Sequence[GridPoint]) -> GridPoint | None:
    """The eligible point with the best validation accuracy (smallest max_lr on ties)."""
    eligible = [p for p in points if p.eligible]
    if not eligible:
        return None
    best = max(p.val_acc for p in eligible)
    return min((p for p in eligible if p.val_acc >= best - _EPS), key=lambda p: p.max_lr)


def allowed_drop(best_val_acc: float, tolerance: float, mode: str = "relative") -> float:
    """How far below ``best_val_acc`` (a fraction) a feasible point may lie, as a fraction.

    ``relative`` is the paper's reading of "within 0.5% of best validation accuracy": every
    "%" it prints for an accuracy difference is relative (72.8 against 71.3 is printed as
    2.1%), so 0.5 allows best x 0.005. ``points`` allows 0.5 percentage points whatever the
    best (about 1.75x wider at Tiny-ImageNet's 57%)."""
    if mode == "relative":
        return best_val_acc * tolerance / 100.0
    if mode == "points":
        return tolerance / 100.0
    raise ValueError(f"tolerance mode {mode!r}: use 'relative' or 'points'")


def tolerance_text(tolerance: float, mode: str) -> str:
    """The rule in words: "0.5% of the best" or "0.5 points"."""
    return f"{tolerance:g}% of the best" if mode == "relative" else f"{tolerance:g} points"


def feasible_region(
    points: Sequence[GridPoint], tolerance: float = 0.5, mode: str = "relative"
) -> Region | None:
    """Eligible points whose validation accuracy is within ``tolerance`` of the best (read as
    ``mode`` says, ``allowed_drop``); None when no point is eligible. ``contiguous`` is False
    when a grid point lying between the region's ends is not in it (the set has holes)."""
    best = well_tuned(points)
    if best is None:
        return None
    threshold = best.val_acc - allowed_drop(best.val_acc, tolerance, mode) - _EPS
    values = tuple(sorted(p.max_lr for p in points if p.eligible and p.val_acc >= threshold))
    inside = [p.max_lr for p in points if values[0] <= p.max_lr <= values[-1]]
    return Region(best.max_lr, best.val_acc, values, len(set(inside)) == len(values))


def distinguishable(best: GridPoint, point: GridPoint, level: float = 0.05) -> bool | None:
    """Whether ``point``'s mean accuracy is below ``best``'s at ``level``: a one-sided Welch
    t-test on the two points' seeds (means, sample stds, counts). None when either has fewer
    than two seeds (a single-seed oracle cannot tell) or no accuracy; the best itself is never
    distinguishable. Two points without spread differ when their means do."""
    if point is best or point.max_lr == best.max_lr:
        return False
    if best.val_acc is None or point.val_acc is None or best.std is None or point.std is None:
        return None
    if best.n < 2 or point.n < 2:
        return None
    if best.std == 0 and point.std == 0:
        return point.val_acc < best.val_acc - _EPS
    from scipy.stats import ttest_ind_from_stats

    test = ttest_ind_from_stats(
        best.val_acc, best.std, best.n, point.val_acc, point.std, point.n,
        equal_var=False, alternative="greater",
    )  # fmt: skip
    return bool(test.pvalue < level)


def significance(points: Sequence[GridPoint], level: float = 0.05) -> dict[float, bool | None]:
    """max_lr -> ``distinguishable`` from the well-tuned point, for every point with an
    accuracy (empty when no point is eligible, or for a single-seed oracle's points)."""
    best = well_tuned(points)
    if best is None or all(p.n < 2 for p in points):
        return {}
    return {p.max_lr: distinguishable(best, p, level) for p in points if p.val_acc is not None}
