"""The [compare] section of a study file: which schedules the Table-2 comparison runs.

The paper's Section 5.1: every benchmark schedule is rewound at the start of each cycle (each
cycle replays its schedule from iteration 0), the dataset is split 60/20/20 anew per seed, and
the score is the early-stop test accuracy. Rows, in this order:

- ``schedules``: the benchmarks (constant LR, LR decay, cyclical LR, LR-warmup-1 with the
  literature's values, ...); with ``tune_benchmarks`` every constant, decay, cyclical and
  1-cycle row's LR grid-tuned first on the unpruned network at the study seed (Section 5.1:
  "we tune the value of LR for each of them via a grid search ... using the validation
  accuracy of the unpruned network"), warmups as written;
- LR-warmup-2: the warmup ``tuned_warmup`` with its max_lr grid-tuned on the unpruned network,
  i.e. the oracle's well-tuned max_lr of cycle 0 (needs the oracle's cycle 0);
- every S-Cyc schedule listed, as written, and for the fitted one (``[fit] schedule``) a second
  row with the parameters of the fit of mode ``fitted`` when it exists (``<label>-fitted``);
- ``auto`` schedules listed, as written;
- the oracle: cycle m trained with the oracle's well-tuned max_lr of cycle m (an upper
  reference, never marked best; covers the cycles the oracle has finished).

With ``held_out`` (the default) the runs use seeds the oracle never trained: the rows tuned or
fitted on the oracle's seeds are judged out of sample.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

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
    scyc_as_written: bool = Field(
        True,
        description="keep the study file's S-Cyc as a row beside the fitted one; false: the "
        "fitted row replaces it once the fit exists",
    )
    seeds: int = Field(
        3,
        ge=1,
        le=100,
        description="runs per schedule: seeds seed+R .. seed+R+N-1 when held_out (R: "
        "[oracle] seeds), else seed .. seed+N-1",
    )
    held_out: bool = Field(
        True,
        description="compare on seeds the oracle never trained (they follow its R seeds), so "
        "that what was tuned or fitted on the oracle's seeds (LR-warmup-2, the benchmarks' "
        "tuned LRs, fitted S-Cyc, the oracle row) is judged out of sample; false: in-sample, "
        "from the study seed, sharing the oracle's chain there",
    )
    tune_benchmarks: bool = Field(
        True,
        description="grid-tune the LR of every constant, decay, cyclical and 1-cycle row on the "
        "unpruned network at the study seed (by validation accuracy, as the paper's Section "
        "5.1 does), over tune_grid; false: those rows as written",
    )
    tune_grid: list[float] | None = Field(
        None,
        min_length=1,
        max_length=256,
        description="the LR values the benchmarks are tuned over (default: the oracle's grid)",
    )
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

    @field_validator("tune_grid")
    @classmethod
    def _tune_grid_positive(cls, grid: list[float] | None) -> list[float] | None:
        if grid is not None and any(not (0 < v < float("inf")) for v in grid):
            raise ValueError("compare.tune_grid: every LR must be a positive number")
        return None if grid is None else sorted(set(grid))
