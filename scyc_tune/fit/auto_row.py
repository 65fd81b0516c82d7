"""The ``auto`` schedule's max_lr at each oracle cycle, measured on the oracle's own start
states (no fitted parameters): does the gradient-informed max_lr land in the feasible region?"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scyc_tune.engine.gradients import gradient_scale
from scyc_tune.fit.score import OracleCycle
from scyc_tune.fit.space import base_schedule
from scyc_tune.schedules import CycleContext
from scyc_tune.schedules.auto import AutoParams
from scyc_tune.store import ArtifactStore
from scyc_tune.study import Study


def auto_params(study: Study, oracle: Sequence[OracleCycle]) -> tuple[str, AutoParams]:
    """The study's first ``auto`` schedule (label, params); without one, an auto schedule
    whose max_lr_0 is the oracle's well-tuned max_lr of the unpruned network, with the fit
    schedule's warmup shape (label 'auto (max_lr_0 = oracle)')."""
    for label, params in study.schedules.items():
        if isinstance(params, AutoParams):
            return label, params
    shape = base_schedule(study).model_dump(include={"b", "c", "d", "e"})
    return "auto (max_lr_0 = oracle)", AutoParams(max_lr_0=oracle[0].well_tuned, **shape)


def auto_curve(
    study: Study, oracle: Sequence[OracleCycle], artifact_dir: Path, params: AutoParams
) -> list[float]:
    """max_lr of ``params`` at each oracle cycle, from the gradients of its stored start state."""
    store = ArtifactStore(artifact_dir)
    out = []
    for o in oracle:
        scale = None
        if o.cycle > 0:
            if o.start_artifact is None:
                raise ValueError(f"oracle cycle {o.cycle} has no start state recorded")
            scale = gradient_scale(
                store.get(o.start_artifact),
                study.data,
                study.model,
                study.seed,
                batch_size=study.training.batch_size,
                num_batches=params.gradient_batches,
                statistic=params.statistic,
                quantile=params.quantile,
            )
        out.append(
            params.max_lr_at(CycleContext(o.cycle, study.pruning.rate, gradient_scale=scale))
        )
    return out
