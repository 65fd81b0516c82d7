"""The [oracle] section of a study file: the max_lr grid, the feasibility tolerance, resources."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from scyc_tune.study.specs import Spec

Spacing = Literal["linear", "log"]


def infer_spacing(values: list[float]) -> Spacing:
    """'log' when the sorted values' ratios agree to 1% (and there are at least 3), else
    'linear'."""
    v = sorted(values)
    if len(v) < 3:
        return "linear"
    ratios = [b / a for a, b in zip(v, v[1:], strict=False)]
    return "log" if max(ratios) / min(ratios) <= 1.01 else "linear"


class GridRange(Spec):
    """``count`` values from ``start`` to ``stop`` inclusive, spaced linearly or logarithmically."""

    start: float = Field(gt=0, description="smallest max_lr")
    stop: float = Field(gt=0, description="largest max_lr")
    count: int = Field(ge=2, le=1000, description="number of grid points")
    spacing: Literal["linear", "log"] = Field("linear", description="linear or log spacing")

    @model_validator(mode="after")
    def _ordered(self) -> GridRange:
        if self.stop <= self.start:
            raise ValueError(f"grid stop ({self.stop}) must be larger than start ({self.start})")
        return self

    def values(self) -> list[float]:
        n = self.count - 1
        if self.spacing == "linear":
            raw = [self.start + (self.stop - self.start) * i / n for i in range(self.count)]
        else:
            lo, hi = math.log(self.start), math.log(self.stop)
            raw = [math.exp(lo + (hi - lo) * i / n) for i in range(self.count)]
        # 12 significant digits: 0.002 * 3 is 0.006, not 0.006000000000000001
        return [float(f"{v:.12g}") for v in raw]


class OracleSpec(Spec):
    schedule: str | None = Field(
        None,
        description="label of the [schedules.LABEL] whose max_lr the oracle varies; default: "
        "the study's first 'warmup' schedule (the paper's oracle uses LR warmup)",
    )
    grid: list[float] | GridRange = Field(
        default_factory=lambda: GridRange(start=2e-3, stop=1e-1, count=50),
        description="max_lr values: a list, or {start, stop, count, spacing}; as text (--set "
        "oracle.grid=..., --grid) 'v1,v2,...' or 'start:stop:count[:linear|log]'",
    )
    tolerance: float = Field(
        0.5,
        ge=0,
        le=100,
        description="feasible region: validation accuracy within this much of the best, in "
        "percent of the best (tolerance_mode = 'relative') or in percentage points ('points')",
    )
    tolerance_mode: Literal["relative", "points"] = Field(
        "relative",
        description="how the tolerance reads: 'relative' (the paper's: 0.5 means within 0.5% "
        "of the best accuracy, 0.43 points at 86%) or 'points' (0.5 percentage points)",
    )
    seeds: int = Field(
        1,
        ge=1,
        le=100,
        description="R: every grid point trained with seeds seed .. seed+R-1, each seed its own "
        "chain (its split, initialisation and batch order; its next cycle starts from its own "
        "network at the chosen max_lr); the region is taken on the mean (1: a single seed)",
    )
    significance: float = Field(
        0.05,
        gt=0,
        lt=1,
        description="with seeds >= 2: a point is distinguishable from the best when a one-sided "
        "Welch t-test puts its mean below the best's at this level",
    )
    grow: int = Field(
        4,
        ge=0,
        le=100,
        description="when the well-tuned max_lr is on an edge of the grid, add one grid step "
        "beyond that edge and train it, at most this many steps per edge and cycle (0: a fixed "
        "grid)",
    )
    refine: int = Field(
        0,
        ge=0,
        le=1000,
        description="after the grid (coarse to fine): up to this many more points per cycle, "
        "splitting the gaps just outside the feasible region and beside the well-tuned point",
    )
    resolution: float = Field(
        0.002,
        gt=0,
        le=10,
        description="refinement splits a gap only while it is wider than this (in max_lr; "
        "0.002 is the paper's grid step)",
    )
    cpus_per_trial: float = Field(
        1.0, gt=0, le=1024, description="CPUs Ray reserves for each trial"
    )
    gpus_per_trial: float = Field(
        0.0, ge=0, le=64, description="GPUs per trial (fractions allowed)"
    )
    max_concurrent: int | None = Field(
        None,
        ge=1,
        le=4096,
        description="at most this many trials at once (default: as resources allow)",
    )
    asha: bool = Field(
        False,
        description="stop clearly losing grid points early with ASHA (off: the oracle is exact)",
    )
    population: int | None = Field(
        None,
        ge=1,
        le=1024,
        description="at most this many grid points per Ray trial, trained together (one stacked "
        "model with the fused engine); default: a cycle's points spread evenly over the trial "
        "slots Ray has; 1 with asha",
    )

    @field_validator("grid", mode="before")
    @classmethod
    def _grid_text(cls, value: Any) -> Any:
        """'0.01,0.02' is a list; '0.002:0.1:50' and '1e-4:1e-1:7:log' are ranges."""
        if not isinstance(value, str):
            return value
        parts = [p.strip() for p in value.split(":")]
        try:
            if len(parts) in (3, 4):
                spacing = parts[3] if len(parts) == 4 else "linear"
                return GridRange(
                    start=float(parts[0]),
                    stop=float(parts[1]),
                    count=int(parts[2]),
                    spacing=spacing,  # type: ignore[arg-type]
                )
            if len(parts) == 1:
                return [float(p) for p in value.split(",") if p.strip()]
        except ValueError:  # pydantic's ValidationError is one
            pass
        raise ValueError(
            "use 'v1,v2,...' or 'start:stop:count[:linear|log]' with positive numbers and "
            "start < stop"
        )

    @field_validator("grid", mode="after")
    @classmethod
    def _grid_values_positive(cls, grid: list[float] | GridRange) -> list[float] | GridRange:
        if isinstance(grid, list):
            if not grid:
                raise ValueError("the max_lr grid is empty")
            if len(grid) > 1000:
                raise ValueError(f"the max_lr grid has {len(grid)} values; at most 1000")
            bad = [v for v in grid if not v > 0]
            if bad:
                raise ValueError(f"max_lr grid values must be > 0, got {bad}")
        return grid

    def grid_spacing(self) -> Spacing:
        """How the grid is spaced: a range's own spacing; a list is 'log' when its ratios
        agree to 1%, else 'linear'. Growth and refinement follow it."""
        if isinstance(self.grid, GridRange):
            return self.grid.spacing
        return infer_spacing(self.grid_values())

    def grid_values(self) -> list[float]:
        """The grid, sorted ascending, duplicates removed."""
        values = self.grid if isinstance(self.grid, list) else self.grid.values()
        return sorted(set(values))
