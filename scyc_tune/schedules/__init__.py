"""Learning-rate schedules of the S-Cyc paper's Table 1 and the retraining variants."""

from scyc_tune.schedules.base import CycleContext, Schedule, ScheduleParams
from scyc_tune.schedules.registry import SCHEDULES, AnyScheduleParams, make_schedule
from scyc_tune.schedules.scyc import scyc_max_lr


def __getattr__(name: str):
    # ScheduleLR needs torch; importing it lazily keeps torch out of `scyc-tune --help`
    if name == "ScheduleLR":
        from scyc_tune.schedules.lr_scheduler import ScheduleLR

        return ScheduleLR
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SCHEDULES",
    "AnyScheduleParams",
    "CycleContext",
    "Schedule",
    "ScheduleLR",
    "ScheduleParams",
    "make_schedule",
    "scyc_max_lr",
]
