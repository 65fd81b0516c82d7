"""Learning-rate schedules of the S-Cyc paper's Table 1 and the retraining variants."""

from scyc_tune.schedules.base import CycleContext, Schedule, ScheduleParams
from scyc_tune.schedules.lr_scheduler import ScheduleLR
from scyc_tune.schedules.registry import SCHEDULES, AnyScheduleParams, make_schedule
from scyc_tune.schedules.scyc import scyc_max_lr

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
