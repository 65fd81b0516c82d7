"""The comparison's Ray Tune trainable: one trial = one run (a row's schedules, one seed),
a pure function of its inputs. Each cycle comes from ``run_chain`` (loaded from the run index
when already trained, by this or any other command) and is reported as soon as it ends; the
driver stores it. An exception ends the run with a ``failed`` report (type, message, where),
so the driver tells it from a lost worker. Workers never open the database."""

from __future__ import annotations

import json
from typing import Any

import torch
from pydantic import TypeAdapter
from ray import tune

from scyc_tune.oracle.chain import guarded, run_chain
from scyc_tune.schedules import AnyScheduleParams
from scyc_tune.study import Study

_SCHEDULE = TypeAdapter(AnyScheduleParams)


def chain_spec(seed: int, schedules) -> str:
    """What a trial needs besides the study: its seed and its per-cycle schedules."""
    return json.dumps({"seed": seed, "schedules": [s.model_dump(mode="json") for s in schedules]})


def run_compare_chain(
    config: dict[str, Any],
    *,
    chains: dict[str, str],
    study_json: str,
    artifact_root: str,
    threads: int,
) -> None:
    torch.set_num_threads(max(1, threads))
    spec = json.loads(chains[config["chain"]])
    study = Study.model_validate_json(study_json).model_copy(update={"seed": spec["seed"]})
    schedules = [_SCHEDULE.validate_python(s) for s in spec["schedules"]]
    for step in guarded(run_chain(study, schedules, artifact_root)):
        if isinstance(step, str):  # the cycle raised: the driver stops with it
            tune.report({"chain": config["chain"], "failed": step, "final": True, "val_acc": 0.0})
            return
        final = step.cycle == len(schedules) - 1 or step.diverged
        tune.report(_cycle_report(config["chain"], step, final))


def _cycle_report(chain: str, step, final: bool) -> dict:
    return {
        "chain": chain,
        "cycle": step.cycle,
        "run_id": step.run_id,
        "record_json": json.dumps(step.record),
        "artifact": step.artifact,
        "reused": step.reused,
        "val_acc": float(step.record["val_acc"]),
        "final": final,
    }
