"""The accuracy-mode Ray Tune trainable: one Optuna trial = iterative pruning with one S-Cyc
parameter set, a pure function of its inputs.

Every cycle is named by its run id (the hash of its start state and job, as in the oracle,
with S-Cyc written as the warmup it amounts to at that cycle, see ``as_warmup``). A cycle whose
run id is already in the run index (``store.runs``) is loaded instead of trained: trials with
the same start state, the same max_lr so far and the same seed share those cycles.

After each cycle the trial reports its validation accuracy (Optuna's pruner sees it); the last
report has ``final=True`` and the score: the mean validation accuracy of the last k cycles. A
diverged cycle ends the trial (its accuracy is chance level). Workers never open the database.
"""

from __future__ import annotations

from typing import Any

import torch
from ray import tune

from scyc_tune.fit.space import with_params
from scyc_tune.oracle.chain import guarded, run_chain
from scyc_tune.schedules import CycleContext
from scyc_tune.schedules.scyc import SCycParams
from scyc_tune.schedules.warmup import WarmupParams
from scyc_tune.study import Study


def as_warmup(params: SCycParams, cycle: int, pruning_rate: float) -> WarmupParams:
    """S-Cyc at cycle m is LR warmup with max_lr = S-Cyc's max_lr_m and the same shape; naming
    the cycle by that warmup makes its run id depend on max_lr_m only, not on the parameters
    that produced it, so trials with equal max_lr so far share their cycles (and share them
    with the oracle's grid points of the same max_lr and start state)."""
    a = params.max_lr_at(CycleContext(cycle, pruning_rate))
    return WarmupParams(a=a, **params.model_dump(include={"b", "c", "d", "e"}))


def run_scyc_trial(
    config: dict[str, Any],
    *,
    study_json: str,
    artifact_root: str,
    cycles: int,
    last_k: int,
    threads: int,
) -> None:
    torch.set_num_threads(max(1, threads))
    study = Study.model_validate_json(study_json)
    schedule = with_params(study, config["params"])
    schedules = [as_warmup(schedule, m, study.pruning.rate) for m in range(cycles)]
    accs: list[float] = []
    for step in guarded(run_chain(study, schedules, artifact_root)):
        if isinstance(step, str):  # the cycle raised: the driver fails the trial with it
            tune.report({"final": True, "failed": step, "val_acc": 0.0})
            return
        m, record, reused = step.cycle, step.record, step.reused
        accs.append(float(record["val_acc"]))
        final = m == cycles - 1 or record["diverged"]
        report = {
            "cycle": m,
            "val_acc": float(record["val_acc"]),
            "test_acc": float(record["test_acc"]),
            "max_lr": float(record["max_lr"]),
            "lambda": float(record["percent_remaining"]),
            "diverged": bool(record["diverged"]),
            "reused": reused,
            "last_cycle": m == cycles - 1,
            "final": final,
        }
        if final:
            tail = accs[-last_k:]
            report["score"] = sum(tail) / len(tail)
        tune.report(report)
        if final:
            return
