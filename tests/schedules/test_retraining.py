"""Retraining variants: fine-tuning, LR rewinding, 1-cycle, scaled LR restarting."""

import pytest
import torch

from scyc_tune.schedules import make_schedule
from scyc_tune.schedules.finetune import FinetuneParams
from scyc_tune.schedules.onecycle import OneCycleParams
from scyc_tune.schedules.rewind import RewindParams
from scyc_tune.schedules.scaled_restart import ScaledRestartParams


def test_finetune_original_then_constant_final_lr():
    params = FinetuneParams(a=0.1, b=10, c=50, d=80, e=None)
    first = make_schedule(params, 0, 0.2, iterations=100)
    assert first.lr(5) == pytest.approx(0.05)
    later = make_schedule(params, 1, 0.2, iterations=100)
    assert [later.lr(i) for i in (0, 50, 99)] == pytest.approx([0.001] * 3)
    assert later.max_lr == pytest.approx(0.001)


def test_finetune_final_lr_before_second_drop():
    params = FinetuneParams(a=0.1, b=10, c=50, d=80, e=None)
    later = make_schedule(params, 2, 0.2, iterations=60)
    assert later.lr(0) == pytest.approx(0.01)


def test_rewind_replays_same_schedule_every_cycle():
    params = RewindParams(a=0.1, b=10, c=50, d=None, e=None)
    ref = make_schedule(params, 0, 0.2).lrs(70)
    for m in (1, 7):
        assert make_schedule(params, m, 0.2).lrs(70) == ref


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"pct_start": 0.25, "anneal_strategy": "linear"},
        {"three_phase": True, "div_factor": 10.0, "final_div_factor": 100.0},
    ],
)
def test_onecycle_matches_torch_onecyclelr(kwargs):
    total = 97
    params = OneCycleParams(max_lr=0.2, **kwargs)
    ours = make_schedule(params, 3, 0.2, iterations=total)
    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1, momentum=0.9)
    ref = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.2, total_steps=total, **kwargs)
    for i in range(total):
        assert ours.lr(i) == pytest.approx(ref.get_last_lr()[0], rel=1e-12, abs=1e-15), i
        opt.step()
        ref.step()


def test_onecycle_needs_iterations():
    with pytest.raises(ValueError, match="iterations"):
        make_schedule(OneCycleParams(), 0, 0.2)


def test_scaled_restart_compresses_original_schedule():
    params = ScaledRestartParams(a=0.1, b=10, c=60, d=None, e=None)
    original = make_schedule(params, 0, 0.2, iterations=100, original_iterations=100)
    assert original.lrs(100) == make_schedule(RewindParams(a=0.1, b=10, c=60), 0, 0.2).lrs(100)
    half = make_schedule(params, 1, 0.2, iterations=50, original_iterations=100)
    # iteration i of the 50-iteration cycle plays iteration 2i of the original
    assert half.lr(0) == 0.0
    assert half.lr(5) == pytest.approx(0.1)
    assert half.lr(2) == pytest.approx(0.04)
    assert half.lr(30) == pytest.approx(0.01)
    assert half.lr(29) == pytest.approx(0.1)
