"""The auto schedule: max_lr_0 x s_0 / s_m, clipped; the spread statistic on hand-made gradients."""

import math

import pytest
import torch
from pydantic import ValidationError

from scyc_tune.engine.gradients import batch_spread
from scyc_tune.schedules import CycleContext, make_schedule
from scyc_tune.schedules.auto import AutoParams

SHAPE = {"b": 10, "c": None, "d": None, "e": None}


def test_rms_of_hand_made_gradients():
    grads = [torch.tensor([3.0, -4.0]), torch.tensor([[0.0], [0.0]])]
    # sqrt((9 + 16 + 0 + 0) / 4) = 2.5
    assert batch_spread(grads, "rms") == pytest.approx(2.5, abs=1e-12)


def test_quantile_of_hand_made_gradients():
    grads = [torch.tensor([-1.0, 2.0, -3.0, 4.0, 5.0])]
    # |g| = 1..5; linear interpolation: q = 0.9 -> position 3.6 -> 4 + 0.6 * 1 = 4.6
    assert batch_spread(grads, "quantile", 0.9) == pytest.approx(4.6, abs=1e-12)
    assert batch_spread(grads, "quantile", 0.5) == pytest.approx(3.0, abs=1e-12)


def test_no_surviving_weights_is_an_error():
    with pytest.raises(ValueError, match="no surviving weights"):
        batch_spread([torch.zeros(0)], "rms")


def test_max_lr_scales_with_the_gradient_ratio_and_is_clipped():
    p = AutoParams(max_lr_0=0.04, lr_min=0.01, lr_max=0.1, **SHAPE)
    assert make_schedule(p, 0, 0.5).max_lr == pytest.approx(0.04)  # cycle 0: no measurement
    assert make_schedule(p, 3, 0.5, gradient_scale=2.0).max_lr == pytest.approx(0.08)
    assert make_schedule(p, 3, 0.5, gradient_scale=10.0).max_lr == pytest.approx(0.1)
    assert make_schedule(p, 3, 0.5, gradient_scale=0.1).max_lr == pytest.approx(0.01)
    # the warmup shape is the one given
    s = make_schedule(p, 2, 0.5, gradient_scale=1.5)
    assert s.lr(5) == pytest.approx(0.06 * 0.5)


def test_cycles_after_zero_need_a_measurement():
    p = AutoParams(max_lr_0=0.04, **SHAPE)
    with pytest.raises(ValueError, match="gradient spread ratio"):
        p.build(CycleContext(1, 0.5))


def test_parameter_errors():
    with pytest.raises(ValidationError, match="lr_max"):
        AutoParams(max_lr_0=0.04, lr_min=0.2, lr_max=0.1, **SHAPE)
    with pytest.raises(ValidationError):
        AutoParams(max_lr_0=0.04, statistic="median", **SHAPE)
    with pytest.raises(ValueError, match="gradient_scale"):
        CycleContext(1, 0.5, gradient_scale=-1.0)
    assert not math.isnan(AutoParams(**SHAPE).max_lr_0)
