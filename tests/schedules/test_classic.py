"""Constant, decay, cyclical and warmup schedules against hand-computed points."""

import pytest
import torch

from scyc_tune.schedules import make_schedule
from scyc_tune.schedules.constant import ConstantParams
from scyc_tune.schedules.cyclical import CyclicalParams
from scyc_tune.schedules.decay import DecayParams
from scyc_tune.schedules.warmup import WarmupParams


def test_constant_ignores_iteration_and_cycle():
    params = ConstantParams(a=0.01)
    for m in (0, 5):
        s = make_schedule(params, m, 0.2)
        assert [s.lr(i) for i in (0, 1, 10_000)] == [0.01, 0.01, 0.01]
        assert s.max_lr == 0.01


def test_decay_hand_points():
    s = make_schedule(DecayParams(a=0.02, b=100), 0, 0.2)
    assert s.lr(0) == 0.02
    assert s.lr(25) == pytest.approx(0.015)
    assert s.lr(50) == pytest.approx(0.01)
    assert s.lr(100) == 0.0
    assert s.lr(150) == 0.0


def test_cyclical_hand_points():
    s = make_schedule(CyclicalParams(a=0.0, b=0.025, c=8), 0, 0.2)
    expected = {0: 0.0, 4: 0.0125, 8: 0.025, 12: 0.0125, 16: 0.0, 20: 0.0125, 24: 0.025}
    for i, lr in expected.items():
        assert s.lr(i) == pytest.approx(lr, abs=1e-15), i
    assert s.max_lr == 0.025


def test_cyclical_matches_torch_cycliclr():
    s = make_schedule(CyclicalParams(a=0.001, b=0.03, c=7), 0, 0.2)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.001)
    ref = torch.optim.lr_scheduler.CyclicLR(
        opt, base_lr=0.001, max_lr=0.03, step_size_up=7, cycle_momentum=False
    )
    for i in range(40):
        assert s.lr(i) == pytest.approx(ref.get_last_lr()[0], rel=1e-12), i
        opt.step()
        ref.step()


def test_warmup_hand_points_with_nil_drop():
    s = make_schedule(WarmupParams(a=0.03, b=20, c=20, d=25, e="Nil"), 0, 0.2)
    assert s.lr(0) == 0.0
    assert s.lr(10) == pytest.approx(0.015)
    assert s.lr(19) == pytest.approx(0.0285)
    assert s.lr(20) == pytest.approx(0.003)
    assert s.lr(24) == pytest.approx(0.003)
    assert s.lr(25) == pytest.approx(0.0003)
    assert s.lr(10_000) == pytest.approx(0.0003)
    assert s.max_lr == 0.03


def test_warmup_three_drops_and_no_warmup():
    s = make_schedule(WarmupParams(a=0.1, b=0, c=4, d=6, e=8), 0, 0.2)
    assert [s.lr(i) for i in (0, 3, 4, 6, 8)] == pytest.approx([0.1, 0.1, 0.01, 0.001, 0.0001])


def test_drops_out_of_order_rejected():
    with pytest.raises(ValueError, match="increasing order"):
        WarmupParams(a=0.1, b=0, c=10, d=5)
