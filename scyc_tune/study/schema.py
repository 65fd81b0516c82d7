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

import math
import re

from pydantic import Field, PrivateAttr, field_validator, model_validator

from scyc_tune.errors import StudyError
from scyc_tune.schedules import AnyScheduleParams, ScheduleParams
from scyc_tune.study.compare_spec import CompareSpec
from scyc_tune.study.fit_spec import FitSpec, Range
from scyc_tune.study.oracle_spec import OracleSpec
from scyc_tune.study.specs import (
    MIN_EVAL_EXAMPLES,
    DataSpec,
    ModelSpec,
    PruningSpec,
    Spec,
    TrainingSpec,
    split_sizes,
)

#: why a study without a warmup schedule (or oracle.schedule) has no oracle
NO_ORACLE_SCHEDULE = (
    "the oracle needs a schedule to vary: add a [schedules.LABEL] of type 'warmup' "
    "or set oracle.schedule"
)
#: why a study without an S-Cyc schedule (or fit.schedule) cannot be fitted
NO_FIT_SCHEDULE = (
    "fitting S-Cyc needs its paper parameters and warmup shape: add a [schedules.LABEL] "
    "of type 'scyc' or set fit.schedule"
)


#: what a study name may be: it names directories, Ray Tune runs and Optuna studies
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
#: what a schedule label may be: it names comparison rows and ``--set schedules.LABEL.key``
LABEL = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


def _identifier(kind: str, value: str, pattern: re.Pattern, chars: str) -> str:
    if not pattern.fullmatch(value):
        raise ValueError(
            f"a {kind} is 1 to 64 letters, digits, {chars}, starting with a letter or digit"
        )
    return value


def _first_of_type(schedules: dict[str, ScheduleParams], kind: str) -> str | None:
    return next((label for label, p in schedules.items() if p.type == kind), None)


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
    # resolved by the validator below: None where the study has no such schedule
    _oracle_label: str | None = PrivateAttr(None)
    _fit_label: str | None = PrivateAttr(None)

    @field_validator("name")
    @classmethod
    def _name_is_an_identifier(cls, name: str) -> str:
        return _identifier("study name", name, NAME, "'-', '_' or '.'")

    @field_validator("schedules")
    @classmethod
    def _labels_are_identifiers(cls, schedules: dict) -> dict:
        for label in schedules:
            _identifier(f"schedule label ({label[:40]!r})", label, LABEL, "'-' or '_'")
        return schedules

    @model_validator(mode="after")
    def _default_schedule_exists(self) -> Study:
        for reserved in ("oracle", "lr-warmup-2-tuned"):
            if reserved in self.schedules:
                raise ValueError(
                    f"[schedules.{reserved}]: the label {reserved!r} names a row the comparison "
                    "derives; rename the table"
                )
        self._defined("schedule", self.schedule)
        label = self.oracle.schedule
        if label is not None:
            self._defined("oracle.schedule", label)
            if self.schedules[label].max_lr_field is None:
                raise ValueError(
                    f"oracle.schedule = {label!r} is of type {self.schedules[label].type!r}, "
                    "which has no single max_lr to grid-search; use a warmup-like schedule"
                )
        label = self.fit.schedule
        if label is not None:
            self._defined("fit.schedule", label)
            if self.schedules[label].type != "scyc":
                raise ValueError(
                    f"fit.schedule = {label!r} is of type {self.schedules[label].type!r}; the "
                    "fit needs an S-Cyc schedule (type = 'scyc')"
                )
        for label in self.compare.schedules or []:
            self._defined("compare.schedules", label)
        if self.compare.tuned_warmup:
            self._defined("compare.tuned_warmup", self.compare.tuned_warmup)
        tuned = self.compare.tuned_warmup
        if tuned and self.schedules[tuned].max_lr_field is None:
            raise ValueError(
                f"compare.tuned_warmup = {tuned!r} is of type {self.schedules[tuned].type!r}, "
                "which has no single max_lr to tune"
            )
        self._oracle_label = self.oracle.schedule or _first_of_type(self.schedules, "warmup")
        self._fit_label = self.fit.schedule or _first_of_type(self.schedules, "scyc")
        fitted = f"{self._fit_label}-fitted"
        if self._fit_label is not None and fitted in self.schedules:
            raise ValueError(
                f"[schedules.{fitted}]: the label {fitted!r} names the comparison's row of the "
                f"fitted {self._fit_label!r}; rename the table"
            )
        return self

    @model_validator(mode="after")
    def _data_holds_a_batch(self) -> Study:
        """A split too small for a batch, or for a validation accuracy worth the name
        (``num_samples = 10``: 6 training examples, 2 for validation) is refused here."""
        n, batch = self.data.examples(), self.training.batch_size
        n_train, n_val, n_test = split_sizes(n, self.data.split)
        if n_train >= batch and min(n_val, n_test) >= MIN_EVAL_EXAMPLES:
            return self
        least = min(*self.data.split, 1 - sum(self.data.split))  # the smallest share
        need = next(
            k for k in range(n, math.ceil((batch + MIN_EVAL_EXAMPLES) / least) + 10)
            if split_sizes(k, self.data.split)[0] >= batch
            and min(split_sizes(k, self.data.split)[1:]) >= MIN_EVAL_EXAMPLES
        )  # fmt: skip
        key = (
            "data.num_samples" if self.data.num_samples is not None
            else "data.mnist1d_samples" if self.data.name == "mnist1d"
            else "training.batch_size"
        )  # fmt: skip
        raise ValueError(
            f"{key}: {n} examples split into {n_train} / {n_val} / {n_test}, too few for "
            f"training.batch_size = {batch} and {MIN_EVAL_EXAMPLES} validation and test "
            + (
                f"examples; use at least {need} examples or a smaller batch"
                if key != "training.batch_size"
                else f"examples; lower it to at most {n_train}"
            )
        )

    def _defined(self, key: str, label: str) -> None:
        if label not in self.schedules:
            raise ValueError(
                f"{key} = {label!r} names no [schedules.{label}] table; "
                f"labels defined: {', '.join(sorted(self.schedules))}"
            )

    @property
    def oracle_label(self) -> str | None:
        """The label of the schedule the oracle varies (OracleSpec.schedule, else the first
        'warmup' schedule); None where the study has none (see NO_ORACLE_SCHEDULE)."""
        return self._oracle_label

    @property
    def fit_label(self) -> str | None:
        """The label of the S-Cyc schedule the fit starts from (FitSpec.schedule, else the
        first 'scyc' schedule); None where the study has none (see NO_FIT_SCHEDULE)."""
        return self._fit_label

    def fit_schedule_label(self) -> str:
        """fit_label, for code that cannot go on without one (StudyError, exit 2)."""
        if self._fit_label is None:
            raise StudyError(f"{self.name}: {NO_FIT_SCHEDULE}")
        return self._fit_label

    def fit_ranges(self) -> dict[str, Range]:
        """epsilon's and delta's ranges, defaulting to the oracle grid's span."""
        grid = self.oracle.grid_values()
        eps = self.fit.epsilon or Range(low=grid[0], high=grid[-1])
        delta = self.fit.delta or Range(low=0.0, high=grid[-1] - grid[0])
        return {"epsilon": eps, "delta": delta, "beta": self.fit.beta}

    def oracle_schedule_label(self) -> str:
        """oracle_label, for code that cannot go on without one (StudyError, exit 2)."""
        if self._oracle_label is None:
            raise StudyError(f"{self.name}: {NO_ORACLE_SCHEDULE}")
        return self._oracle_label

    def schedule_params(self, label: str | None = None) -> ScheduleParams:
        """The schedule with this label (default: the study's ``schedule``)."""
        return self.schedules[label or self.schedule]
