"""CycleJob: everything that determines the training of one cycle, and nothing else."""

from __future__ import annotations

from pydantic import Field

from scyc_tune.schedules import AnyScheduleParams, Schedule, make_schedule
from scyc_tune.study.specs import DataSpec, ModelSpec, Spec, TrainingSpec


class CycleJob(Spec):
    """The inputs of ``train_cycle`` besides the start state. Frozen, picklable, hashable
    (its JSON is what later issues hash to name runs)."""

    data: DataSpec
    model: ModelSpec
    training: TrainingSpec
    schedule: AnyScheduleParams = Field(discriminator="type")
    cycle: int = Field(ge=0, description="m: completed pruning cycles")
    pruning_rate: float = Field(gt=0, lt=1, description="p")
    seed: int = Field(ge=0)
    capture_iteration: int | None = Field(
        None, ge=0, description="save the weights at this iteration (IMP's rewind point)"
    )
    gradient_scale: float | None = Field(
        None,
        gt=0,
        description="gradient spread at cycle 0 / at this cycle's start, for schedules that "
        "need it (auto); measured by scyc_tune.engine.gradients",
    )
    range_test_lr: float | None = Field(
        None,
        gt=0,
        description="the LR range test's suggested max_lr on this cycle's start state, for "
        "lr_range_test; run by scyc_tune.engine.lr_range_test",
    )

    @property
    def iterations(self) -> int:
        return self.training.iterations_for(self.cycle)

    def build_schedule(self) -> Schedule:
        return make_schedule(
            self.schedule,
            self.cycle,
            self.pruning_rate,
            iterations=self.iterations,
            original_iterations=self.training.iterations,
            gradient_scale=self.gradient_scale,
            range_test_lr=self.range_test_lr,
        )
