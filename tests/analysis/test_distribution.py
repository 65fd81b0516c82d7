"""Summaries of pooled samples: quantiles, reference thresholds, tails and the JSON round trip."""

import json

import numpy as np
import pytest

from scyc_tune.analysis import TAIL_LEVELS, Distribution, summarise


def test_reference_uses_its_own_quantiles():
    ref = summarise(np.arange(101.0))  # |x| quantiles at q are 100 q exactly
    assert ref.n == 101
    assert ref.mean == 50.0
    assert ref.std == pytest.approx(np.sqrt((101**2 - 1) / 12))
    assert ref.quantile_levels == (0.5, 0.9, 0.97, 0.99)
    assert ref.abs_quantiles == pytest.approx((50.0, 90.0, 97.0, 99.0))
    assert ref.tail_levels == TAIL_LEVELS == (0.90, 0.97, 0.99)
    assert ref.thresholds == pytest.approx((90.0, 97.0, 99.0))
    assert ref.tail == pytest.approx((10 / 101, 3 / 101, 1 / 101))
    assert len(ref.histogram.counts) == 8  # ceil(log2 101) + 1


def test_current_is_measured_beyond_the_reference_thresholds():
    ref = summarise(np.arange(101.0))
    signed = summarise(-0.5 * np.arange(101.0), ref.thresholds)  # |x| <= 50
    assert signed.thresholds == ref.thresholds
    assert signed.tail == (0.0, 0.0, 0.0)
    assert signed.abs_quantiles == pytest.approx((25.0, 45.0, 48.5, 49.5))
    wide = summarise(2.0 * np.arange(101.0), ref.thresholds)  # 2k > 90 for k >= 46
    assert wide.tail == pytest.approx((55 / 101, 52 / 101, 51 / 101))


def test_true_count_and_bad_inputs():
    assert summarise(np.ones(10), n=1000).n == 1000
    with pytest.raises(ValueError, match="smaller"):
        summarise(np.ones(10), n=5)
    with pytest.raises(ValueError, match="not finite"):
        summarise([1.0, np.nan])
    with pytest.raises(ValueError, match="one value per tail level"):
        summarise([1.0, 2.0], (1.0, 2.0))
    with pytest.raises(ValueError, match="no values"):
        summarise([])


def test_round_trips_through_json():
    values = np.random.default_rng(0).normal(size=1000)
    ref = summarise(values)
    current = summarise(0.3 * values[:500], ref.thresholds, n=12345)
    for d in (ref, current):
        text = json.dumps(d.to_dict())
        assert Distribution.from_dict(json.loads(text)) == d
