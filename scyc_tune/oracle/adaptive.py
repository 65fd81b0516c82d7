"""The adaptive grid: where a cycle's next grid points go after a pass (pure functions).

Growth: when the well-tuned max_lr lies on an edge of the values trained so far, the grid
grows one step beyond that edge (``[oracle] grow`` steps at most per edge and cycle), step by
step, so an answer is never pinned at the grid's end while a larger (or smaller) max_lr could
be better. The step is the spacing of the grid's two values at that edge: a factor on a log
grid (a list whose ratios agree to 1% counts as one), a difference otherwise; the lower edge
stops at zero.

Refinement (``[oracle] refine = N``, coarse to fine): after growth, up to N more points per
cycle, in rounds: each round splits the gaps that bound the answer, the ones just outside the
feasible region (between each of its ends and the next trained point beyond, where the true
boundary lies) and those beside the well-tuned point, at their midpoint (geometric on a log
grid), while the gap is wider than ``[oracle] resolution``.

Each round depends only on the stored results of the rounds before it, so a resumed run
replays the same rounds from storage and trains only what is missing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from scyc_tune.store.answer import Region
from scyc_tune.study.oracle_spec import Spacing

#: new points keep this many significant digits (0.0631, not 0.06305986...)
_DIGITS = 4


def _round(v: float) -> float:
    return float(f"{v:.{_DIGITS}g}")


def grow_value(values: Sequence[float], edge: Literal["low", "high"], spacing: Spacing):
    """The next value beyond ``edge`` of the sorted ``values``: one edge step out; None when
    there is no step (fewer than two values) or the lower edge would reach zero."""
    v = sorted(values)
    if len(v) < 2:
        return None
    a, b = (v[0], v[1]) if edge == "low" else (v[-2], v[-1])
    if spacing == "log":
        new = a * a / b if edge == "low" else b * b / a
    else:
        new = a - (b - a) if edge == "low" else b + (b - a)
    new = _round(new)
    if new <= 0 or new in v:
        return None
    return new


def edge_of(values: Sequence[float], region: Region | None) -> str | None:
    """'high' or 'low' when the well-tuned max_lr is the largest or smallest of ``values``
    (with more than one value), else None."""
    if region is None or len(set(values)) < 2:
        return None
    if region.well_tuned == max(values):
        return "high"
    return "low" if region.well_tuned == min(values) else None


def grow_step(
    values: Sequence[float],
    region: Region | None,
    grown: dict[str, int],
    cap: int,
    spacing: Spacing,
) -> float | None:
    """The value to add when the well-tuned max_lr is on an edge of ``values`` and that edge
    has grown fewer than ``cap`` times (``grown``: steps so far per edge, updated); else None."""
    if region is None or not values:
        return None
    for edge, at in (("high", max(values)), ("low", min(values))):
        if region.well_tuned == at and grown.get(edge, 0) < cap:
            new = grow_value(values, edge, spacing)  # type: ignore[arg-type]
            if new is not None:
                grown[edge] = grown.get(edge, 0) + 1
                return new
    return None


def midpoint(a: float, b: float, spacing: Spacing) -> float:
    return _round(math.sqrt(a * b) if spacing == "log" else (a + b) / 2)


def refine_step(
    values: Sequence[float],
    region: Region | None,
    budget: int,
    resolution: float,
    spacing: Spacing,
) -> list[float]:
    """The next round's points (at most ``budget``): the midpoints of the gaps below the
    region's low end, above its high end, and either side of the well-tuned point, each gap
    split only while wider than ``resolution`` (in max_lr) and its midpoint is new."""
    if region is None or budget <= 0:
        return []
    v = sorted(set(values))

    def below(x: float) -> tuple[float, float] | None:
        i = v.index(x)
        return (v[i - 1], x) if i > 0 else None

    def above(x: float) -> tuple[float, float] | None:
        i = v.index(x)
        return (x, v[i + 1]) if i + 1 < len(v) else None

    gaps = [below(region.low), above(region.high)]
    gaps += [below(region.well_tuned), above(region.well_tuned)]
    out: list[float] = []
    for gap in gaps:
        if gap is None or gap[1] - gap[0] <= resolution * (1 + 1e-9):
            continue
        m = midpoint(gap[0], gap[1], spacing)
        if gap[0] < m < gap[1] and m not in v and m not in out:
            out.append(m)
    return out[:budget]
