"""Well-tuned max_lr and feasible LR region from one cycle's grid results (pure functions).

Only fully trained, non-diverged points are eligible (a point stopped early by ASHA, a failed
point or a diverged one is never the best and never feasible).
Tie-break: among equal best validation accuracies, the SMALLEST max_lr is the well-tuned one
(the conservative choice; deterministic whatever order the trials finished in).
"""

from __future__ import annotations

from collections.abc import Sequence

from scyc_tune.store.answer import GridPoint, Region

__all__ = ["GridPoint", "Region", "feasible_region", "well_tuned"]

#: accuracy comparisons tolerate float noise of this size (accuracies are fractions)
_EPS = 1e-12


def well_tuned(points: Sequence[GridPoint]) -> GridPoint | None:
    """The eligible point with the best validation accuracy (smallest max_lr on ties)."""
    eligible = [p for p in points if p.eligible]
    if not eligible:
        return None
    best = max(p.val_acc for p in eligible)
    return min((p for p in eligible if p.val_acc >= best - _EPS), key=lambda p: p.max_lr)


def feasible_region(points: Sequence[GridPoint], tolerance_pp: float = 0.5) -> Region | None:
    """Eligible points whose validation accuracy is within ``tolerance_pp`` percentage points of
    the best; None when no point is eligible. ``contiguous`` is False when a grid point lying
    between the region's ends is not in it (the set has holes)."""
    best = well_tuned(points)
    if best is None:
        return None
    threshold = best.val_acc - tolerance_pp / 100.0 - _EPS
    values = tuple(sorted(p.max_lr for p in points if p.eligible and p.val_acc >= threshold))
    inside = [p.max_lr for p in points if values[0] <= p.max_lr <= values[-1]]
    return Region(best.max_lr, best.val_acc, values, len(set(inside)) == len(values))
