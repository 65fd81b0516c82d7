"""The [compare] section of a study file: which schedules the Table-2 comparison runs.

The paper's Section 5.1: every benchmark schedule is rewound at the start of each cycle (each
cycle replays its schedule from iteration 0), the dataset is split 60/20/20 anew per seed, and
the score is the early-stop test accuracy. Rows, in this order:

- ``schedules``: the benchmarks as written in the study file (constant LR, LR decay, cyclical
  LR, LR-warmup-1 with the literature's values, ...);
- LR-warmup-2: the warmup ``tuned_warmup`` with its max_lr grid-tuned on the unpruned network,
  i.e. the oracle's well-tuned max_lr of cycle 0 (needs the oracle's cycle 0);
- every S-Cyc schedule listed, with the fitted parameters when a fit of mode ``fitted`` exists;
- ``auto`` schedules listed, as written;
- the oracle: cycle m trained with the oracle's well-tuned max_lr of cycle m (an upper
  reference, never marked best; covers the cycles the oracle has finished).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from scyc_tune.study.specs import Spec


class CompareSpec(Spec):
    schedules: list[str] | None = Field(
        None,
        description="labels of the schedules compared, in table order (default: every "
        "schedule of the study file)",
    )
    tuned_warmup: str | None = Field(
        None,
        description="label of the warmup whose max_lr is grid-tuned on the unpruned network "
        "(LR-warmup-2); default: the oracle's schedule; '' for no such row",
    )
    fitted: Literal["oracle", "accuracy", "none"] = Field(
        "oracle", description="S-Cyc rows use the parameters of this fit mode when it exists"
    )
    oracle_row: bool = Field(True, description="add the oracle's max_lr trajectory as a row")
    seeds: int = Field(3, ge=1, le=100, description="runs per schedule, seeds seed .. seed+N-1")
    cpus_per_trial: float = Field(1.0, gt=0, le=1024, description="CPUs per Ray trial (one run)")
    gpus_per_trial: float = Field(0.0, ge=0, le=64, description="GPUs per Ray trial")
    max_concurrent: int | None = Field(
        None, ge=1, le=4096, description="at most this many trials (populations of runs) at once"
    )
    population: int | None = Field(
        None,
        ge=1,
        le=1024,
        description="at most this many runs (rows x seeds) per Ray trial, advanced in lock "
        "step, one population per cycle (one stacked model with the fused engine); default: "
        "the runs spread evenly over the trial slots Ray has",
    )
