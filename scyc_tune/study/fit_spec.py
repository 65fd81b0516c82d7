"""The [fit] section of a study file: search ranges, trial counts, score and pruner.

Ranges default to the paper's (beta in [3, 6], q an integer in [0, 3]; epsilon and delta within
the oracle's grid range) and may only be narrowed. ``step`` makes a parameter discrete, which
is what lets accuracy-mode trials share trained cycles (two trials with the same epsilon train
identical cycles during S-Cyc's No Growth phase); the oracle fit, which trains nothing, ignores
steps and searches continuously.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from scyc_tune.study.specs import Spec

#: the paper's ranges (Section 4.3): beta in [3, 6], q in {0, 1, 2, 3}
BETA_RANGE = (3.0, 6.0)
Q_RANGE = (0, 3)


class Range(Spec):
    """A search range [low, high], optionally on a grid of ``step``."""

    low: float = Field(ge=0, description="smallest value")
    high: float = Field(ge=0, description="largest value")
    step: float | None = Field(None, gt=0, description="grid step (None: continuous)")

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must be >= low ({self.low})")
        return self


class FitSpec(Spec):
    schedule: str | None = Field(
        None,
        description="label of the [schedules.LABEL] of type 'scyc' whose parameters are the "
        "paper's (enqueued as the first trial) and whose warmup shape the fit keeps; default: "
        "the study's first 'scyc' schedule",
    )
    epsilon: Range | None = Field(
        None, description="epsilon's range; default: the oracle grid's [min, max]"
    )
    delta: Range | None = Field(
        None, description="delta's range; default: [0, oracle grid max - min]"
    )
    beta: Range = Field(
        default_factory=lambda: Range(low=BETA_RANGE[0], high=BETA_RANGE[1]),
        description="beta's range, within [3, 6]",
    )
    q: tuple[int, int] = Field(
        Q_RANGE, strict=False, description="q's integer range [low, high], within [0, 3]"
    )
    oracle_trials: int = Field(300, ge=1, le=100_000, description="Optuna trials of --mode oracle")
    accuracy_trials: int = Field(
        20, ge=1, le=10_000, description="Optuna trials of --mode accuracy"
    )
    last_k: int = Field(
        1,
        ge=1,
        description="accuracy mode's score: mean validation accuracy of the last k cycles "
        "(1: the final cycle, the target lambda)",
    )
    pruner: Literal["median", "hyperband", "none"] = Field(
        "median", description="Optuna pruner that stops poor accuracy-mode trials early"
    )
    pruner_startup_trials: int = Field(
        2, ge=0, description="median pruner: finished trials before it prunes"
    )
    pruner_warmup_cycles: int = Field(
        1, ge=0, description="median pruner: cycles of a trial before it may be pruned"
    )
    max_concurrent: int | None = Field(
        None, ge=1, le=4096, description="accuracy mode: at most this many trials at once"
    )
    cpus_per_trial: float = Field(
        1.0, gt=0, le=1024, description="accuracy mode: CPUs per Ray trial"
    )
    gpus_per_trial: float = Field(0.0, ge=0, le=64, description="accuracy mode: GPUs per Ray trial")
    population: int = Field(
        1,
        ge=1,
        le=1024,
        description="accuracy mode: Optuna trials asked at once and trained in one Ray trial "
        "as one population per cycle; a member the pruner stops is told PRUNED at once but its "
        "population trains on until all its members are stopped or done",
    )

    @model_validator(mode="after")
    def _paper_ranges(self) -> FitSpec:
        lo, hi = BETA_RANGE
        if self.beta.low < lo or self.beta.high > hi:
            raise ValueError(
                f"beta = [{self.beta.low}, {self.beta.high}] leaves the paper's range [3, 6]; "
                "narrow it instead"
            )
        qlo, qhi = self.q
        if qlo > qhi or qlo < Q_RANGE[0] or qhi > Q_RANGE[1]:
            raise ValueError(f"q = [{qlo}, {qhi}] must be an ordered integer range within [0, 3]")
        if self.epsilon is not None and self.epsilon.low <= 0:
            raise ValueError(f"epsilon.low = {self.epsilon.low}: epsilon must be > 0")
        return self
