"""Verdicts computed from the numbers, and their sentences."""

import numpy as np
import pytest

from scyc_tune.analysis import narrowing, series_verdict, summarise

RAMP = np.arange(101.0)  # reference: |x| 97th percentile = 97, 3 of 101 values beyond it


@pytest.fixture
def ref():
    return summarise(RAMP)


def test_narrower_when_tail_and_std_shrink(ref):
    v = narrowing(ref, summarise(0.5 * RAMP, ref.thresholds), percent_remaining=12.5)
    assert (v.tail_ref, v.tail_now, v.ratio) == (3 / 101, 0.0, 0.0)
    assert v.std_ratio == pytest.approx(0.5)
    assert v.narrower
    assert v.sentence() == (
        "λ = 12.5: 0.0% of |grad| beyond the unpruned network's 97th percentile "
        "(3.0% unpruned), std x0.50: narrower"
    )


def test_not_narrower_when_wider(ref):
    v = narrowing(ref, summarise(2.0 * RAMP, ref.thresholds), percent_remaining=2.03)
    assert v.tail_now == 52 / 101 and v.ratio == pytest.approx(52 / 3)
    assert v.std_ratio == pytest.approx(2.0)
    assert not v.narrower
    assert v.sentence() == (
        "λ = 2.03: 51.5% of |grad| beyond the unpruned network's 97th percentile "
        "(3.0% unpruned), std x2.00: not narrower"
    )


def test_not_narrower_when_only_the_tail_shrinks(ref):
    spikes = np.tile([-96.0, 96.0], 50)  # nothing beyond 97, but std 96 > 29.2
    v = narrowing(ref, summarise(spikes, ref.thresholds), what="hidden")
    assert v.tail_now == 0.0 and v.std_ratio > 1.0 and not v.narrower
    assert v.sentence().startswith("0.0% of |hidden| beyond")


def test_tiny_tails_keep_a_significant_digit(ref):
    values = np.concatenate([np.zeros(9999), [200.0]])  # 1 in 10000 beyond 97
    v = narrowing(ref, summarise(values, ref.thresholds), percent_remaining=100.0)
    assert v.sentence().startswith("λ = 100: 0.01% of |grad|")


def test_current_must_use_the_reference_thresholds(ref):
    with pytest.raises(ValueError, match="thresholds"):
        narrowing(ref, summarise(0.5 * RAMP))
    with pytest.raises(ValueError, match="degenerate"):
        narrowing(summarise(np.ones(5)), summarise(np.ones(5)))


def test_series_counts_and_monotonicity(ref):
    pairs = [
        (50.0, summarise(0.5 * RAMP, ref.thresholds)),
        (100.0, ref),
        (12.5, summarise(RAMP, ref.thresholds)),
        (80.0, summarise(0.9 * RAMP, ref.thresholds)),
    ]
    assert series_verdict(pairs) == (
        "narrower at 2 of 3 pruned lambdas; monotone: no; sparsest (λ = 12.5): 3.0% of |grad| "
        "beyond the unpruned network's 97th percentile (3.0% unpruned), std x1.00"
    )
    assert series_verdict(pairs[:2] + pairs[3:], what="hidden") == (
        "narrower at 2 of 2 pruned lambdas; monotone: yes; sparsest (λ = 50): 0.0% of |hidden| "
        "beyond the unpruned network's 97th percentile (3.0% unpruned), std x0.50"
    )
    assert series_verdict([(100.0, ref)]) == "no pruned lambdas to compare"
    with pytest.raises(ValueError, match="largest lambda"):
        series_verdict([(100.0, ref), (100.0, ref)])
