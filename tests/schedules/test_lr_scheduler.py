"""ScheduleLR: a Schedule as a torch LRScheduler, stepped per iteration, with state_dict."""

import io

import pytest
import torch

from scyc_tune.schedules import ScheduleLR, make_schedule
from scyc_tune.schedules.scyc import SCycParams
from scyc_tune.schedules.warmup import WarmupParams


def _opt(lr=0.0):
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(2))], lr=lr, momentum=0.9)


def test_optimizer_lr_follows_schedule_per_iteration():
    schedule = make_schedule(WarmupParams(a=0.03, b=4, c=6, d=None, e=None), 0, 0.2)
    opt = _opt()
    sched = ScheduleLR(opt, schedule)
    seen = []
    for _ in range(8):
        seen.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    assert seen == pytest.approx(schedule.lrs(8))


def test_state_dict_round_trip_through_weights_only_load():
    schedule = make_schedule(SCycParams(epsilon=0.04, delta=0.06, b=5, c=8, d=None), 4, 0.2)
    opt = _opt()
    sched = ScheduleLR(opt, schedule)
    for _ in range(6):
        opt.step()
        sched.step()
    buffer = io.BytesIO()
    torch.save(sched.state_dict(), buffer)
    buffer.seek(0)
    state = torch.load(buffer, weights_only=True)

    opt2 = _opt()
    sched2 = ScheduleLR(opt2, schedule)
    sched2.load_state_dict(state)
    assert sched2.last_epoch == 6
    assert opt2.param_groups[0]["lr"] == pytest.approx(schedule.lr(6))
    opt2.step()
    sched2.step()
    assert opt2.param_groups[0]["lr"] == pytest.approx(schedule.lr(7))
