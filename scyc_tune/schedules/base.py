"""The schedule contract: typed parameters that build a per-cycle ``lr(iteration)`` function.

A schedule is built for one pruning cycle from a :class:`CycleContext`, so S-Cyc and any other
sparsity-aware schedule plug in the same way as the classic ones. Iterations are optimizer steps
counted from 0 at the start of the cycle; ``lr(i)`` is the learning rate used by step ``i``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, field_validator


@dataclass(frozen=True)
class CycleContext:
    """Where in iterative pruning a schedule is used.

    cycle: m, the number of completed pruning cycles (0 while training the unpruned network).
    pruning_rate: p, fraction of the remaining weights removed per cycle.
    iterations: length of this cycle in iterations.
    original_iterations: length of the original (cycle-0) training, which retraining variants
        (fine-tuning, scaled LR restarting) refer to. Defaults to ``iterations``.
    gradient_scale: spread of the surviving weights' gradients at cycle 0 divided by the spread
        at this cycle's start, for gradient-informed schedules (``auto``); measured by the
        engine (``scyc_tune.engine.gradients``), None when nobody measured it.
    range_test_lr: the LR range test's suggested max_lr on this cycle's start state, for
        ``lr_range_test``; run by the engine (``scyc_tune.engine.lr_range_test``).
    """

    cycle: int
    pruning_rate: float
    iterations: int | None = None
    original_iterations: int | None = None
    gradient_scale: float | None = None
    range_test_lr: float | None = None

    def __post_init__(self) -> None:
        if self.cycle < 0:
            raise ValueError(f"cycle must be >= 0, got {self.cycle}")
        if not 0.0 < self.pruning_rate < 1.0:
            raise ValueError(f"pruning_rate must be in (0, 1), got {self.pruning_rate}")
        if self.gradient_scale is not None and not self.gradient_scale > 0.0:
            raise ValueError(f"gradient_scale must be > 0, got {self.gradient_scale}")
        if self.range_test_lr is not None and not self.range_test_lr > 0.0:
            raise ValueError(f"range_test_lr must be > 0, got {self.range_test_lr}")
        if self.original_iterations is None and self.iterations is not None:
            object.__setattr__(self, "original_iterations", self.iterations)

    @property
    def percent_remaining(self) -> float:
        """lambda: percent of prunable weights remaining in this cycle."""
        return percent_remaining(self.pruning_rate, self.cycle)


def percent_remaining(pruning_rate: float, cycle: int) -> float:
    """lambda = 100 (1 - p)^m: percent of prunable weights remaining in cycle m (the one
    place it is computed)."""
    return 100.0 * (1.0 - pruning_rate) ** cycle


class Schedule(ABC):
    """The learning rate of one cycle as a pure function of the iteration."""

    @abstractmethod
    def lr(self, iteration: int) -> float:
        """Learning rate used by optimizer step ``iteration`` (0-based) of this cycle."""

    @property
    @abstractmethod
    def max_lr(self) -> float:
        """The largest learning rate this cycle uses (the paper's max_lr)."""

    def lrs(self, iterations: int) -> list[float]:
        return [self.lr(i) for i in range(iterations)]


def _nil_to_none(value: Any) -> Any:
    """The paper writes "Nil" for an absent LR drop; TOML has no null, so accept the word."""
    if isinstance(value, str) and value.strip().lower() in {"nil", "none", ""}:
        return None
    return value


class ScheduleParams(BaseModel):
    """Typed parameters of one schedule family; ``type`` names the family in study files."""

    # strict types and finite numbers, as in the study's other sections (study.specs.Spec)
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)

    #: the family's name, e.g. "warmup"; also the ``type`` value in study files
    family: ClassVar[str]
    #: whether build() needs CycleContext.iterations
    needs_iterations: ClassVar[bool] = False
    #: whether build() needs CycleContext.gradient_scale (measured on the cycle's start state)
    needs_gradients: ClassVar[bool] = False
    #: whether build() needs CycleContext.range_test_lr (the LR range test on the start state)
    needs_range_test: ClassVar[bool] = False
    #: the field holding the peak LR, which the oracle varies (None: no single such field)
    max_lr_field: ClassVar[str | None] = None
    #: fields that are iterations within the cycle (phase boundaries), checked against its length
    phase_fields: ClassVar[tuple[str, ...]] = ()

    @property
    def needs_reference(self) -> bool:
        """Whether the gradient spread of cycles m > 0 is referenced to the trained cycle-0
        network (``auto``'s ``reference = "trained"``), which ``cycle_job`` is then given."""
        return False

    @field_validator("c", "d", "e", mode="before", check_fields=False)
    @classmethod
    def _drops_nil(cls, value: Any) -> Any:
        return _nil_to_none(value)

    @abstractmethod
    def build(self, ctx: CycleContext) -> Schedule:
        """The schedule for the cycle described by ``ctx``."""

    def with_max_lr(self, max_lr: float) -> ScheduleParams:
        """The same schedule with its peak LR set to ``max_lr`` (the oracle's grid point)."""
        if self.max_lr_field is None:
            raise ValueError(f"schedule family {self.family!r} has no single max_lr to vary")
        return self.model_copy(update={self.max_lr_field: max_lr})

    def params(self) -> dict[str, Any]:
        """The parameters without the ``type`` tag."""
        return self.model_dump(exclude={"type"})
