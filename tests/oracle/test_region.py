"""Well-tuned max_lr and feasible region on hand-made accuracy tables."""

import pytest

from scyc_tune.oracle.region import (
    GridPoint,
    allowed_drop,
    distinguishable,
    feasible_region,
    significance,
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


def test_a_replicated_point_is_the_mean_and_sample_std_of_its_seeds():
    p = GridPoint.of_runs(0.05, [(0.80, "complete"), (0.82, "complete"), (0.84, "complete")])
    assert (p.val_acc, p.n, p.status) == (pytest.approx(0.82), 3, "complete")
    assert p.std == pytest.approx(0.02)
    # one seed diverged: the point is not eligible, whatever the others did
    q = GridPoint.of_runs(0.2, [(0.9, "complete"), (0.1, "diverged")])
    assert q.status == "diverged" and not q.eligible
    assert GridPoint.of_runs(0.1, [(0.9, "complete"), (None, "missing")]).status == "missing"
    # a single seed is that run, as the oracle always had it
    assert GridPoint.of_runs(0.1, [(0.9, "complete")]) == GridPoint(0.1, 0.9, "complete")


def test_replicated_regions_are_taken_on_the_means():
    def point(v, accs):
        return GridPoint.of_runs(v, [(a, "complete") for a in accs])

    points = [
        point(0.02, [0.800, 0.790, 0.810]),  # mean 0.800
        point(0.04, [0.830, 0.790, 0.810]),  # mean 0.810: best by mean, not by its best seed
        point(0.08, [0.806, 0.808, 0.807]),  # mean 0.807: within 0.5% of 0.810
        point(0.16, [0.700, 0.710, 0.720]),
    ]
    region = feasible_region(points, 0.5)
    assert region.well_tuned == 0.04 and region.best_val_acc == pytest.approx(0.81)
    assert region.values == (0.04, 0.08)


def test_the_significance_rule_on_a_hand_made_table():
    """One-sided Welch t-test at 0.05 against the best mean; values checked against scipy's
    ttest_ind on the raw accuracies."""
    from scipy.stats import ttest_ind

    runs = {
        0.02: [0.800, 0.790, 0.810],
        0.04: [0.830, 0.820, 0.825],  # the best
        0.08: [0.826, 0.810, 0.822],  # close, noisy: not distinguishable
        0.16: [0.700, 0.710, 0.720],  # clearly below
    }
    points = [GridPoint.of_runs(v, [(a, "complete") for a in r]) for v, r in runs.items()]
    apart = significance(points, 0.05)
    assert apart == {0.02: True, 0.04: False, 0.08: False, 0.16: True}
    for v in (0.02, 0.08, 0.16):
        p = ttest_ind(runs[0.04], runs[v], equal_var=False, alternative="greater").pvalue
        assert apart[v] == (p < 0.05)
    # a stricter level keeps the borderline point in
    p02 = ttest_ind(runs[0.04], runs[0.02], equal_var=False, alternative="greater").pvalue
    assert significance(points, p02 / 2)[0.02] is False
    # a single-seed oracle cannot tell
    single = [GridPoint(v, r[0], "complete") for v, r in runs.items()]
    assert significance(single) == {}
    assert distinguishable(points[1], single[0]) is None
