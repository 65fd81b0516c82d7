"""Well-tuned max_lr and feasible region on hand-made accuracy tables."""

import pytest

from scyc_tune.oracle.region import (
    GridPoint,
    allowed_drop,
    feasible_region,
    tolerance_text,
    well_tuned,
)


def table(*rows):
    return [GridPoint(lr, acc, status) for lr, acc, status in rows]


def test_paper_like_cycle():
    points = table(
        (0.036, 0.900, "complete"),
        (0.038, 0.903, "complete"),
        (0.040, 0.906, "complete"),
        (0.042, 0.9011, "complete"),
        (0.044, 0.8995, "complete"),
    )
    region = feasible_region(points, 0.5, "points")
    assert region.well_tuned == 0.040 and region.best_val_acc == 0.906
    # within 0.5 percentage points of 90.6%: >= 90.1% (90.0% at 0.036 is out)
    assert region.values == (0.038, 0.040, 0.042)
    assert (region.low, region.high) == (0.038, 0.042)
    assert region.contiguous


def test_tie_break_is_smallest_max_lr_whatever_the_order():
    rows = [(0.05, 0.8, "complete"), (0.02, 0.8, "complete"), (0.03, 0.7, "complete")]
    assert well_tuned(table(*rows)).max_lr == 0.02
    assert well_tuned(table(*reversed(rows))).max_lr == 0.02


def test_non_contiguous_region_is_flagged():
    points = table(
        (0.01, 0.80, "complete"),
        (0.02, 0.70, "complete"),
        (0.03, 0.802, "complete"),
    )
    region = feasible_region(points, 0.5)
    assert region.values == (0.01, 0.03)
    assert not region.contiguous


def test_failed_or_missing_point_inside_range_breaks_contiguity():
    points = table(
        (0.01, 0.80, "complete"),
        (0.02, None, "failed"),
        (0.03, 0.80, "complete"),
    )
    assert not feasible_region(points, 0.5).contiguous


def test_only_fully_trained_points_are_eligible():
    points = table(
        (0.01, 0.70, "complete"),
        (0.02, 0.95, "stopped"),  # truncated by ASHA: never best, never feasible
        (0.03, 0.10, "diverged"),
        (0.04, None, "failed"),
        (0.05, 0.699, "complete"),
    )
    region = feasible_region(points, 0.5)
    assert region.well_tuned == 0.01
    assert region.values == (0.01, 0.05)
    assert not region.contiguous


def test_tolerance_configurable_and_boundary_inclusive():
    points = table((0.01, 0.900, "complete"), (0.02, 0.890, "complete"), (0.03, 0.889, "complete"))
    assert feasible_region(points, 1.0, "points").values == (0.01, 0.02)
    assert feasible_region(points, 0.0, "points").values == (0.01,)
    assert feasible_region(points, 1.1, "points").values == (0.01, 0.02, 0.03)
    # relative: 1.0% of 90.0 is 0.9 points (89.1 and up), 1.3% is 1.17 points (88.83 and up)
    assert feasible_region(points, 1.0).values == (0.01,)
    assert feasible_region(points, 1.12).values == (0.01, 0.02)
    assert feasible_region(points, 1.3).values == (0.01, 0.02, 0.03)


def test_no_eligible_point():
    assert feasible_region(table((0.1, 0.1, "diverged"), (0.2, None, "failed"))) is None
    assert well_tuned([]) is None


@pytest.mark.parametrize("tol", [0.5, 2.0])
def test_best_always_inside_its_region(tol):
    points = table(*[(0.01 * i, 0.5 + 0.01 * ((i * 7) % 5), "complete") for i in range(1, 9)])
    region = feasible_region(points, tol)
    assert region.well_tuned in region.values


def test_relative_is_the_papers_reading_of_a_percent():
    """Issue 14: the paper prints 72.8 against 71.3 as a 2.1% difference (relative)."""
    assert allowed_drop(0.728, 2.1) == pytest.approx(0.015288)
    assert 0.728 - allowed_drop(0.728, 2.1) <= 0.713 < 0.728 - allowed_drop(0.728, 2.0)
    assert allowed_drop(0.728, 2.1, "points") == pytest.approx(0.021)
    with pytest.raises(ValueError, match="'relative' or 'points'"):
        allowed_drop(0.7, 0.5, "percent")


def test_relative_regions_are_narrower_at_low_accuracy():
    """At Tiny-ImageNet-like accuracies 0.5% is 0.3 points, not 0.5: one point is in only the
    points region, one in neither."""
    points = table(
        (0.01, 0.600, "complete"),
        (0.02, 0.5975, "complete"),
        (0.03, 0.5960, "complete"),
        (0.04, 0.5940, "complete"),
    )
    assert feasible_region(points, 0.5).values == (0.01, 0.02)
    assert feasible_region(points, 0.5, "points").values == (0.01, 0.02, 0.03)
    assert tolerance_text(0.5, "relative") == "0.5% of the best"
    assert tolerance_text(0.5, "points") == "0.5 points"
