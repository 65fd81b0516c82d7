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

import os
from typing import Any

import torch
from ray import tune

from scyc_tune.engine import cycle_job, initial_state, next_start_state, train_cycle
from scyc_tune.fit.space import with_params
from scyc_tune.oracle.runid import run_id
from scyc_tune.oracle.trainable import TRAINING_LOG_ENV
from scyc_tune.schedules import CycleContext
from scyc_tune.schedules.scyc import SCycParams
from scyc_tune.schedules.warmup import WarmupParams
from scyc_tune.store import ArtifactStore
from scyc_tune.store.runs import RunIndex
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
    store = ArtifactStore(artifact_root)
    index = RunIndex(artifact_root)
    log = os.environ.get(TRAINING_LOG_ENV)

    state = initial_state(study.data, study.model, study.seed)
    trained = None
    accs: list[float] = []
    for m in range(cycles):
        if m > 0:
            state = next_start_state(
                trained,
                study.pruning,
                study.data,
                study.model,
                study.seed,
                batch_size=study.training.batch_size,
            )
        job = cycle_job(study, m, schedule=as_warmup(schedule, m, study.pruning.rate))
        rid = run_id(job, state.digest())
        hit = index.get(rid)
        if hit is not None and (hit["artifact"] is None or store.exists(hit["artifact"])):
            record = hit["record"]
            trained = None if hit["artifact"] is None else store.get(hit["artifact"])
            reused = True
        else:
            if log:
                with open(log, "a", encoding="utf-8") as fh:
                    fh.write(f"{rid}\n")
            result = train_cycle(job, state)
            record = result.record.to_dict()
            artifact = None if result.state is None else store.put(result.state)
            index.put(rid, record, artifact)
            trained = result.state
            reused = False
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
