"""LR rewinding (Renda et al. 2020): the original LR warmup schedule replayed in every cycle."""

from __future__ import annotations

from typing import Literal

from scyc_tune.schedules.warmup import WarmupPeakShape


class RewindParams(WarmupPeakShape):
    family = "rewind"
    type: Literal["rewind"] = "rewind"
