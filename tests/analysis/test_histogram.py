"""Sturges histograms and tail masses, on hand-made arrays."""

import math

import numpy as np
import pytest

from scyc_tune.analysis import Histogram, sturges, tail_mass


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 9, 100, 1000, 1024, 4097])
def test_sturges_bin_count_is_ceil_log2_n_plus_one(n):
    values = np.random.default_rng(n).normal(size=n)
    h = sturges(values)
    assert len(h.counts) == math.ceil(math.log2(n)) + 1
    assert len(h.edges) == len(h.counts) + 1
    assert sum(h.counts) == n


def test_sturges_edges_and_counts_of_a_known_array():
    h = sturges([0, 1, 2, 3, 4, 5, 6, 7])  # 4 bins of width 7 / 4
    assert h == Histogram(edges=(0.0, 1.75, 3.5, 5.25, 7.0), counts=(2, 2, 2, 2))
    assert sturges([5, 1, 1, 1]).counts == (3, 0, 1)  # 3 bins over [1, 5]


def test_sturges_of_equal_values_and_of_nothing():
    assert sturges([2.0, 2.0, 2.0]) == Histogram((1.5, 2.5), (3,))
    with pytest.raises(ValueError, match="no values"):
        sturges([])


def test_tail_mass_counts_strictly_beyond_each_threshold():
    values = np.array([-4, -3, -2, -1, 0, 1, 2, 3])
    assert tail_mass(values, (0.0, 1.5, 3.0, 4.0)) == (7 / 8, 5 / 8, 1 / 8, 0.0)


def test_histogram_round_trips_through_dict():
    h = sturges([0.5, -1.25, 3.0])
    assert Histogram.from_dict(h.to_dict()) == h
