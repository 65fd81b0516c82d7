"""The study file: one TOML file per experiment, validated on load.

name = "demo"
seed = 0
schedule = "scyc"            # the label of the schedule `prune` uses by default
[data]      ...              # DataSpec
[model]     ...              # ModelSpec
[pruning]   ...              # PruningSpec
[training]  ...              # TrainingSpec
[schedules.scyc]             # one table per labelled schedule, told apart by `type`
type = "scyc"
epsilon = 0.03 ...
"""

from __future__ import annotations

from pydantic import Field, model_validator

from scyc_tune.schedules import AnyScheduleParams, ScheduleParams
from scyc_tune.study.compare_spec import CompareSpec
from scyc_tune.study.fit_spec import FitSpec, Range
from scyc_tune.study.oracle_spec import OracleSpec
from scyc_tune.study.specs import DataSpec, ModelSpec, PruningSpec, Spec, TrainingSpec


class Study(Spec):
    name: str = Field(..., min_length=1, description="study name (used to name runs and reports)")
    description: str = Field("", description="free text")
    seed: int = Field(0, ge=0, description="seed of the data split, initialisation and batches")
    data: DataSpec = Field(default_factory=DataSpec)
    model: ModelSpec = Field(default_factory=ModelSpec)
    pruning: PruningSpec = Field(default_factory=PruningSpec)
    training: TrainingSpec = Field(default_factory=TrainingSpec)
    schedule: str = Field(..., description="label (key of [schedules]) of the default schedule")
    schedules: dict[str, AnyScheduleParams] = Field(
        ..., min_length=1, description="labelled schedules, e.g. [schedules.lr-warmup-1]"
    )
    oracle: OracleSpec = Field(default_factory=OracleSpec, description="the max_lr grid search")
    fit: FitSpec = Field(default_factory=FitSpec, description="fitting S-Cyc's parameters")
    compare: CompareSpec = Field(
        default_factory=CompareSpec, description="the schedule comparison (Table 2)"
    )

    @model_validator(mode="after")
    def _default_schedule_exists(self) -> Study:
        for reserved in ("oracle", "lr-warmup-2-tuned"):
            if reserved in self.schedules:
                raise ValueError(
                    f"[schedules.{reserved}]: the label {reserved!r} names a row the comparison "
                    "derives; rename the table"
                )
        if self.schedule not in self.schedules:
            raise ValueError(
                f"schedule = {self.schedule!r} names no [schedules.{self.schedule}] table; "
                f"labels defined: {', '.join(sorted(self.schedules))}"
            )
        label = self.oracle.schedule
        if label is not None:
            if label not in self.schedules:
                raise ValueError(
                    f"oracle.schedule = {label!r} names no [schedules.{label}] table; "
                    f"labels defined: {', '.join(sorted(self.schedules))}"
                )
            if self.schedules[label].max_lr_field is None:
                raise ValueError(
                    f"oracle.schedule = {label!r} is of type {self.schedules[label].type!r}, "
                    "which has no single max_lr to grid-search; use a warmup-like schedule"
                )
        label = self.fit.schedule
        if label is not None:
            if label not in self.schedules:
                raise ValueError(
                    f"fit.schedule = {label!r} names no [schedules.{label}] table; "
                    f"labels defined: {', '.join(sorted(self.schedules))}"
                )
            if self.schedules[label].type != "scyc":
                raise ValueError(
                    f"fit.schedule = {label!r} is of type {self.schedules[label].type!r}; the "
                    "fit needs an S-Cyc schedule (type = 'scyc')"
                )
        for label in [*(self.compare.schedules or []), self.compare.tuned_warmup or ""]:
            if label and label not in self.schedules:
                raise ValueError(
                    f"compare names {label!r}, which has no [schedules.{label}] table; "
                    f"labels defined: {', '.join(sorted(self.schedules))}"
                )
        tuned = self.compare.tuned_warmup
        if tuned and self.schedules[tuned].max_lr_field is None:
            raise ValueError(
                f"compare.tuned_warmup = {tuned!r} is of type {self.schedules[tuned].type!r}, "
                "which has no single max_lr to tune"
            )
        return self

    def fit_schedule_label(self) -> str:
        """The label of the S-Cyc schedule the fit starts from (see FitSpec.schedule)."""
        if self.fit.schedule is not None:
            return self.fit.schedule
        for label, params in self.schedules.items():
            if params.type == "scyc":
                return label
        raise ValueError(
            "fitting S-Cyc needs its paper parameters and warmup shape: add a [schedules.LABEL] "
            "of type 'scyc' or set fit.schedule"
        )

    def fit_ranges(self) -> dict[str, Range]:
        """epsilon's and delta's ranges, defaulting to the oracle grid's span."""
        grid = self.oracle.grid_values()
        eps = self.fit.epsilon or Range(low=grid[0], high=grid[-1])
        delta = self.fit.delta or Range(low=0.0, high=grid[-1] - grid[0])
        return {"epsilon": eps, "delta": delta, "beta": self.fit.beta}

    def oracle_schedule_label(self) -> str:
        """The label of the schedule the oracle varies (see OracleSpec.schedule)."""
        if self.oracle.schedule is not None:
            return self.oracle.schedule
        for label, params in self.schedules.items():
            if params.type == "warmup":
                return label
        raise ValueError(
            "the oracle needs a schedule to vary: add a [schedules.LABEL] of type 'warmup' "
            "or set oracle.schedule"
        )

    def schedule_params(self, label: str | None = None) -> ScheduleParams:
        """The schedule with this label (default: the study's ``schedule``)."""
        return self.schedules[label or self.schedule]
