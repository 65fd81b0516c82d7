"""The adaptive grid's rules on hand-made cycles: growth at an edge, refinement, spacing."""

import pytest

from scyc_tune.oracle.adaptive import grow_step, grow_value, midpoint, refine_step
from scyc_tune.oracle.region import GridPoint, feasible_region
from scyc_tune.study.oracle_spec import OracleSpec, infer_spacing


def region(accs: dict[float, float], tolerance=0.5):
    return feasible_region([GridPoint(v, a, "complete") for v, a in accs.items()], tolerance)


def test_spacing_of_a_list_is_log_when_its_ratios_agree():
    assert infer_spacing([0.04, 0.056, 0.08, 0.113, 0.16]) == "linear"  # 0.056/0.04 = 1.40 vs 1.43
    assert infer_spacing([0.01, 0.02, 0.04, 0.08]) == "log"
    assert infer_spacing([0.01, 0.02, 0.03]) == "linear"
    assert infer_spacing([0.01, 0.02]) == "linear"  # two values say nothing
    assert OracleSpec(grid="0.01:0.1:5:log").grid_spacing() == "log"
    assert OracleSpec(grid="0.01:0.1:5").grid_spacing() == "linear"


def test_the_edge_step_follows_the_spacing_and_stops_at_zero():
    assert grow_value([0.01, 0.02, 0.03], "high", "linear") == 0.04
    assert grow_value([0.01, 0.02, 0.04], "high", "log") == 0.08
    assert grow_value([0.01, 0.02, 0.04], "low", "log") == 0.005
    assert grow_value([0.02, 0.04, 0.06], "low", "linear") is None  # 0.02 - 0.02 = 0
    assert grow_value([0.05], "high", "linear") is None
    assert grow_value([0.1, 0.2, 0.3], "high", "linear") == 0.4  # 4 digits, not 0.4000000001


def test_the_grid_grows_at_the_edge_the_best_is_on_up_to_the_cap():
    values = [0.01, 0.02, 0.03]
    grown: dict[str, int] = {}
    best_on_top = region({0.01: 0.80, 0.02: 0.85, 0.03: 0.90})
    assert grow_step(values, best_on_top, grown, 2, "linear") == 0.04
    assert grow_step([*values, 0.04], region({0.03: 0.90, 0.04: 0.91}), grown, 2, "linear") == 0.05
    assert grown == {"high": 2}
    # the cap is reached: no third step, though the best is still on the edge
    assert grow_step([*values, 0.04, 0.05], region({0.05: 0.95}), grown, 2, "linear") is None
    # the best inside the grid: nothing to grow
    assert grow_step(values, region({0.01: 0.8, 0.02: 0.9, 0.03: 0.8}), {}, 4, "linear") is None
    # the bottom edge, on a log grid
    low = region({0.01: 0.9, 0.02: 0.8, 0.04: 0.7})
    assert grow_step([0.01, 0.02, 0.04], low, {}, 4, "log") == 0.005
    assert grow_step(values, best_on_top, {}, 0, "linear") is None  # grow = 0: a fixed grid


def test_refinement_splits_the_gaps_that_bound_the_region_and_the_best():
    values = [0.02, 0.04, 0.06, 0.08, 0.10]
    # feasible: 0.04 and 0.06 (within 0.5% of 0.90); best 0.06
    r = region({0.02: 0.70, 0.04: 0.898, 0.06: 0.90, 0.08: 0.85, 0.10: 0.60})
    assert r.values == (0.04, 0.06)
    # below the low end, above the high end, then beside the best (0.05 is new, 0.07 dupes)
    assert refine_step(values, r, 10, 0.002, "linear") == [0.03, 0.07, 0.05]
    assert refine_step(values, r, 2, 0.002, "linear") == [0.03, 0.07]  # the budget
    # gaps no wider than the resolution are left alone
    assert refine_step(values, r, 10, 0.02, "linear") == []
    assert midpoint(0.01, 0.04, "log") == 0.02
    assert refine_step(values, None, 10, 0.002, "linear") == []


def test_grow_refine_and_resolution_are_validated():
    with pytest.raises(ValueError):
        OracleSpec(grow=-1)
    with pytest.raises(ValueError):
        OracleSpec(resolution=0)
    spec = OracleSpec()
    assert (spec.grow, spec.refine, spec.resolution) == (4, 0, 0.002)
