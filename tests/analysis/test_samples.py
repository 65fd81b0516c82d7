"""Gradient and hidden-representation samples of a tiny network on digits."""

import numpy as np
import pytest
import torch

from scyc_tune.analysis import collect
from scyc_tune.analysis._pool import Pool
from scyc_tune.engine.relu_capture import ReluCapture
from scyc_tune.engine.start import initial_state
from scyc_tune.study.specs import ModelSpec

SURVIVING = 1440 - 110
HIDDEN = 16 + 16


def test_collect_counts_surviving_weights_and_relu_outputs(pruned_state, digits, tiny_fc, seed):
    s = collect(pruned_state, digits, tiny_fc, seed, batch_size=8, num_batches=3)
    assert s.grads.dtype == s.hidden.dtype == np.float64
    assert s.grads_count == s.grads.size == 3 * SURVIVING
    assert s.hidden_count == s.hidden.size == 3 * 8 * HIDDEN
    assert (s.hidden >= 0).all() and (s.hidden > 0).any()
    assert np.abs(s.grads).max() > 0
    again = collect(pruned_state, digits, tiny_fc, seed, batch_size=8, num_batches=3)
    assert np.array_equal(s.grads, again.grads) and np.array_equal(s.hidden, again.hidden)


def test_collect_subsamples_deterministically(pruned_state, digits, tiny_fc, seed):
    kw = dict(batch_size=8, num_batches=3)
    full = collect(pruned_state, digits, tiny_fc, seed, **kw)
    sub = collect(pruned_state, digits, tiny_fc, seed, max_values=500, **kw)
    assert (sub.grads.size, sub.hidden.size) == (500, 500)
    assert (sub.grads_count, sub.hidden_count) == (full.grads_count, full.hidden_count)
    assert np.isin(sub.grads, full.grads).all() and np.isin(sub.hidden, full.hidden).all()
    again = collect(pruned_state, digits, tiny_fc, seed, max_values=500, **kw)
    assert np.array_equal(sub.grads, again.grads) and np.array_equal(sub.hidden, again.hidden)


def test_collect_sees_functional_relus_of_resnet20(digits, seed):
    resnet = ModelSpec(name="resnet20")
    state = initial_state(digits, resnet, seed)
    s = collect(state, digits, resnet, seed, batch_size=2, num_batches=1)
    # per 8x8 example: stem 16x8x8, then 6 ReLUs at each of 16x8x8, 32x4x4, 64x2x2
    assert s.hidden_count == 2 * (1024 + 6 * 1024 + 6 * 512 + 6 * 256)
    assert (s.hidden >= 0).all()
    assert s.grads_count == s.grads.size == sum(m.numel() for m in state.mask.values())


def test_relu_capture_sees_modules_functions_and_methods(relu_net):
    x = torch.tensor([[-1.0, 2.0, -3.0], [4.0, -5.0, 6.0]])
    with ReluCapture() as capture:
        relu_net(x)
    sizes = [t.numel() for t in capture.outputs]
    assert sizes == [6, 4, 2, 6]
    assert torch.equal(capture.outputs[0], torch.tensor([0.0, 2.0, 0.0, 4.0, 0.0, 6.0]))
    assert torch.equal(capture.outputs[2], torch.tensor([0.0, 5.0]))


def test_pool_spreads_its_quota_over_batches():
    pool = Pool(3, 10, np.random.default_rng(0))
    for b in range(3):
        pool.add(torch.arange(5.0) + 10 * b)
    kept = pool.array()
    assert pool.count == 15 and kept.size == 10
    per_batch = [np.count_nonzero((kept >= 10 * b) & (kept < 10 * b + 5)) for b in range(3)]
    assert per_batch == [4, 3, 3]
    assert (np.diff(kept) > 0).all()  # original order kept
    with pytest.raises(ValueError, match="max_values"):
        Pool(1, 0, np.random.default_rng(0))
