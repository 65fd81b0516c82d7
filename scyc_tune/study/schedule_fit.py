"""Schedules that do not fit the cycle: phase boundaries (warmup length, LR drops, decay
length, cyclical step) beyond the cycle's iterations, and the peak LR actually reached.

A study shortened to a few iterations keeps the paper's ``b = 20000``, so its LR never leaves
the bottom of the warmup while every table prints the nominal max_lr; this says so."""

from __future__ import annotations

from dataclasses import dataclass

from scyc_tune.schedules import ScheduleParams, make_schedule
from scyc_tune.study.schema import Study


@dataclass(frozen=True)
class Misfit:
    label: str
    keys: tuple[str, ...]  # e.g. ("schedules.lr-warmup.b", ...)
    iterations: int
    peak: float  # the largest LR the cycle uses
    max_lr: float  # the schedule's nominal max_lr

    @property
    def useless(self) -> bool:
        """Nothing can be trained: the LR is 0 for the whole cycle."""
        return self.peak <= 0.0 < self.max_lr

    def message(self) -> str:
        keys = ", ".join(self.keys)
        verb = "lies" if len(self.keys) == 1 else "lie"
        text = f"{keys} {verb} beyond the cycle's {self.iterations} iterations"
        text += " (training.iterations)"
        if self.peak < self.max_lr:
            share = 100 * self.peak / self.max_lr
            text += (
                f": the LR peaks at {self.peak:.3g} ({share:.3g}% of max_lr {self.max_lr:.3g}),"
                " and the tables show the peak reached"
            )
        return text + "; shorten them or lengthen training.iterations"


def unmeasured(params: ScheduleParams) -> dict[str, float]:
    """Stand-ins for what the engine measures on a cycle's start state, where no network is at
    hand: an unchanged gradient spread (``auto``), a suggested max_lr of 1 (``lr_range_test``,
    so a peak reads as a share of max_lr)."""
    out = {}
    if params.needs_gradients:
        out["gradient_scale"] = 1.0
    if params.needs_range_test:
        out["range_test_lr"] = 1.0
    return out


def peak_lr(params: ScheduleParams, iterations: int, cycle: int = 0, rate: float = 0.5) -> float:
    """The largest LR ``params`` uses in a cycle of ``iterations`` (gradient-informed schedules
    taken at an unchanged gradient spread)."""
    schedule = make_schedule(params, cycle, rate, iterations, **unmeasured(params))
    return max(schedule.lrs(iterations), default=0.0)


def misfits(study: Study) -> list[Misfit]:
    """Every labelled schedule with a phase boundary beyond the shortest cycle."""
    training = study.training
    iterations = min(training.iterations_for(m) for m in range(min(2, study.pruning.cycles)))
    out = []
    for label, params in study.schedules.items():
        keys = tuple(
            f"schedules.{label}.{name}"
            for name in params.phase_fields
            if getattr(params, name) is not None and getattr(params, name) > iterations
        )
        if not keys:
            continue
        rate = study.pruning.rate
        schedule = make_schedule(params, 0, rate, iterations, **unmeasured(params))
        peak = peak_lr(params, iterations, 0, rate)
        out.append(Misfit(label, keys, iterations, peak, schedule.max_lr))
    return out
