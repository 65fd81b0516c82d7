"""The unpruned network that ``auto`` (``reference = "trained"``) measures its reference
spread s_0 on: cycle 0 of the study (at its seed), trained from the initialisation with the
same schedule, whoever trained it, found through the run index. For a method that rewinds
(IMP) it is that cycle's rewind point instead: IMP's later cycles start from the rewind point,
pruned, so the unpruned network at the same point of training is what they are compared
with (the ratio then measures what pruning changed, not how far training went)."""

from __future__ import annotations

from scyc_tune.engine import CycleState, cycle_job, initial_state
from scyc_tune.errors import ScycError
from scyc_tune.pruning import method_rewinds
from scyc_tune.runs.identity import run_id
from scyc_tune.schedules import ScheduleParams
from scyc_tune.store import ArtifactStore
from scyc_tune.store.runs import RunIndex
from scyc_tune.study import Study


def trained_reference(
    study: Study, schedule: ScheduleParams, store: ArtifactStore, index: RunIndex
) -> CycleState:
    """Cycle 0 of ``study`` trained with ``schedule`` (its end state; for IMP its rewind
    point), loaded from the run index: as ``schedule`` trained it, or as the warmup it amounts
    to at cycle 0 (the same training, as the oracle's grid point at max_lr_0 or a fit's trial
    trains it); ScycError, saying what to run, where it was never trained or diverged."""
    start = initial_state(study.data, study.model, study.seed)
    forms = [schedule]
    if hasattr(schedule, "as_warmup_at_cycle_0"):
        forms.append(schedule.as_warmup_at_cycle_0())
    hit = None
    for form in forms:
        rid = run_id(cycle_job(study, 0, schedule=form, start=start), start.digest())
        hit = index.get(rid)
        if hit is not None:
            break
    if hit is None:
        raise ScycError(
            f"auto's reference, cycle 0 trained with max_lr_0 at seed {study.seed} (run "
            f"{rid[:12]}), is not stored: train it first (its chain's cycle 0), or set "
            "reference = 'init'"
        )
    if hit["artifact"] is None:
        raise ScycError(
            f"auto's reference, cycle 0 trained with max_lr_0 at seed {study.seed} (run "
            f"{rid[:12]}), diverged: lower max_lr_0, or set reference = 'init'"
        )
    trained = store.get(hit["artifact"])
    if method_rewinds(study.pruning) and trained.rewind_weights is not None:
        rewound = trained.rewind_weights
        return CycleState(dict(rewound), trained.mask, trained.cycle, rewound)
    return trained
