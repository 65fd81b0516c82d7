"""The max_lr of a schedule that measures the network (``auto``'s gradient spread, the LR
range test) at each oracle cycle, measured on the oracle's own start states (no fitted
parameters): does it land in the feasible region?"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scyc_tune.engine import cycle_job
from scyc_tune.runs.reference import trained_reference
from scyc_tune.schedules import ScheduleParams
from scyc_tune.schedules.auto import AutoParams
from scyc_tune.store import ArtifactStore
from scyc_tune.store.answer import OracleAnswer
from scyc_tune.store.runs import RunIndex
from scyc_tune.study import Study
from scyc_tune.study.fit_schedule import base_schedule


def auto_params(study: Study, oracle: Sequence[OracleAnswer]) -> tuple[str, AutoParams]:
    """The study's first ``auto`` schedule (label, params); without one, an auto schedule
    whose max_lr_0 is the oracle's well-tuned max_lr of the unpruned network, with the fit
    schedule's warmup shape (label 'auto (max_lr_0 = oracle)')."""
    for label, params in study.schedules.items():
        if isinstance(params, AutoParams):
            return label, params
    shape = base_schedule(study).model_dump(include={"b", "c", "d", "e"})
    return "auto (max_lr_0 = oracle)", AutoParams(max_lr_0=oracle[0].well_tuned, **shape)


def measured_curve(
    study: Study,
    oracle: Sequence[OracleAnswer],
    artifact_dir: str | Path,
    params: ScheduleParams,
) -> list[float]:
    """max_lr of ``params`` at each oracle cycle, measured the way ``prune`` measures it
    (``cycle_job``) on the oracle's stored start state of that cycle."""
    store = ArtifactStore(artifact_dir)
    reference = None
    if params.needs_reference and any(o.cycle > 0 for o in oracle):
        reference = trained_reference(study, params, store, RunIndex(artifact_dir))
    out = []
    for o in oracle:
        if o.cycle > 0 and o.start_artifact is None:
            raise ValueError(f"oracle cycle {o.cycle} has no start state recorded")
        start = store.get(o.start_artifact) if o.cycle > 0 else None
        job = cycle_job(study, o.cycle, schedule=params, start=start, reference=reference)
        out.append(job.build_schedule().max_lr)
    return out
