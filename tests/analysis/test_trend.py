"""Spearman's rho with a bootstrap interval, on hand-made series."""

import math

import pytest
from scipy.stats import spearmanr

from scyc_tune.analysis.trend import spearman, trend


def test_a_rising_series_has_an_interval_above_zero():
    cycles = list(range(8))
    values = [0.04, 0.056, 0.056, 0.08, 0.113, 0.113, 0.16, 0.226]
    t = trend(cycles, values)
    assert t.rho == pytest.approx(spearmanr(cycles, values).statistic)
    assert t.rho > 0.95 and 0 < t.low <= t.rho <= t.high <= 1
    assert t.rises is True
    assert trend(cycles, values) == t  # seeded: the same interval every time
    assert trend(cycles, values[::-1]).rises is False


def test_the_demo_like_jumps_give_an_interval_that_holds_zero():
    # the well-tuned values the single-seed demo oracle gave (x 1e-2): no trend to tell
    t = trend(range(6), [11.3, 32, 16, 11.3, 22.6, 16])
    assert t.low < 0 < t.high
    assert t.rises is None
    assert t.n == 6


def test_a_constant_series_has_no_rank_correlation():
    assert math.isnan(spearman([0, 1, 2], [5, 5, 5]))
    t = trend([0, 1, 2, 3], [5, 5, 5, 5])
    assert math.isnan(t.rho) and math.isnan(t.low) and t.rises is None
    with pytest.raises(ValueError):
        trend([0, 1], [1.0])
